import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { LoginLimiter } from '../../src/auth/login-limiter.js';
import { openStore } from '../../src/storage/store.js';
import { createTestDatabase, TEST_DIALECT } from '../helpers/database.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const WINDOW = 15 * 60_000;

/** A database on disk (SQLite) or a schema (PostgreSQL) that a second store can open too. */
async function sharedDatabase(t: TestContext) {
  const folder = mkdtempSync(join(tmpdir(), 'sd-limiter-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return createTestDatabase(t, { file: join(folder, 'status.db') });
}

/** Tries `count` logins for the keys that all fail; returns how many the limiter let through. */
async function failTries(limiter: LoginLimiter, keys: readonly string[], count: number, at: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < count; i += 1) if (await limiter.begin(keys, at + i)) allowed += 1;
  return allowed;
}

describe(`${TEST_DIALECT}: login limiter`, () => {
  it('blocks a key after 5 failures within 15 minutes, in a window that slides', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    assert.equal(await failTries(limiter, ['user:a', 'ip:1'], 4, NOW), 4);
    assert.equal(await failTries(limiter, ['user:a', 'ip:1'], 1, NOW + 10), 1, 'the fifth try is let through');
    assert.equal(await limiter.begin(['user:a'], NOW + 11), undefined);
    assert.equal(await limiter.begin(['user:b', 'ip:1'], NOW + 11), undefined, 'the address is blocked too');
    assert.notEqual(await limiter.begin(['user:b', 'ip:2'], NOW + 11), undefined);
    assert.equal(await limiter.begin(['user:a'], NOW + WINDOW - 1), undefined);
    assert.notEqual(await limiter.begin(['user:a'], NOW + WINDOW), undefined, 'the first failure has left the window');
  });

  it('forgets the username and the try itself after a successful login, not the address', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    await failTries(limiter, ['user:a', 'ip:1'], 4, NOW);
    const success = await limiter.begin(['user:a', 'ip:1'], NOW + 5);
    assert.ok(success);
    await success.succeeded();
    const rows = await store.db.selectFrom('login_failure').select('key').execute();
    assert.deepEqual(
      rows.map((row) => row.key),
      ['ip:1', 'ip:1', 'ip:1', 'ip:1'],
      'the four failures of the address stay, the successful try leaves nothing',
    );
    assert.notEqual(await limiter.begin(['user:a', 'ip:2'], NOW + 10), undefined);
  });

  // Two stores in one process only on PostgreSQL: better-sqlite3 waits for a lock synchronously,
  // so a second SQLite store here would stall the event loop of the first, which holds the lock.
  it(`lets exactly 5 of 20 concurrent tries through${TEST_DIALECT === 'postgres' ? ', on two instances' : ''}`, async (t) => {
    const { store, url } = await sharedDatabase(t);
    const stores = [store];
    if (TEST_DIALECT === 'postgres') {
      const other = openStore(url);
      t.after(() => other.close());
      stores.push(other);
    }
    const limiters = stores.map((each) => new LoginLimiter(each));
    const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => limiters[i % limiters.length]?.begin(['user:a', `ip:${i}`], NOW)));
    assert.equal(tries.filter((attempt) => attempt !== undefined).length, 5);
  });

  it('counts the failures seen by every instance on the database', async (t) => {
    const { store, url } = await sharedDatabase(t);
    const other = openStore(url);
    t.after(() => other.close());
    const first = new LoginLimiter(store);
    const second = new LoginLimiter(other);
    await failTries(first, ['user:a'], 3, NOW);
    assert.equal(await failTries(second, ['user:a'], 2, NOW + 3), 2);
    assert.equal(await first.begin(['user:a'], NOW + 5), undefined);
    assert.equal(await second.begin(['user:a'], NOW + 5), undefined);
  });

  it('drops the failures that have left the window when it counts a new try', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    for (let i = 0; i < 3; i += 1) await limiter.begin([`user:u${i}`, 'ip:1'], NOW + i);
    await limiter.begin(['user:late'], NOW + WINDOW + 1);
    const rows = await store.db.selectFrom('login_failure').select(['key', 'failed_at']).orderBy('key').execute();
    assert.deepEqual(
      rows.map((row) => [row.key, Number(row.failed_at)]),
      [
        ['ip:1', NOW + 2],
        ['user:late', NOW + WINDOW + 1],
        ['user:u2', NOW + 2],
      ],
    );
  });
});
