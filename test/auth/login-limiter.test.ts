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

describe(`${TEST_DIALECT}: login limiter`, () => {
  it('blocks a key after 5 failures within 15 minutes, in a window that slides', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    for (let i = 0; i < 4; i += 1) await limiter.fail(['user:a', 'ip:1'], NOW + i);
    assert.equal(await limiter.blocked(['user:a'], NOW + 10), false);
    await limiter.fail(['user:a', 'ip:1'], NOW + 10);
    assert.equal(await limiter.blocked(['user:a'], NOW + 11), true);
    assert.equal(await limiter.blocked(['user:b', 'ip:1'], NOW + 11), true, 'the address is blocked too');
    assert.equal(await limiter.blocked(['user:b', 'ip:2'], NOW + 11), false);
    assert.equal(await limiter.blocked(['user:a'], NOW + WINDOW - 1), true);
    assert.equal(await limiter.blocked(['user:a'], NOW + WINDOW), false, 'the first failure has left the window');
  });

  it('forgets the username after a successful login, not the address', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    for (let i = 0; i < 5; i += 1) await limiter.fail(['user:a', 'ip:1'], NOW + i);
    await limiter.reset('user:a');
    assert.equal(await limiter.blocked(['user:a', 'ip:2'], NOW + 10), false);
    assert.equal(await limiter.blocked(['user:a', 'ip:1'], NOW + 10), true);
  });

  it('counts the failures seen by every instance on the database', async (t) => {
    const { store, url } = await sharedDatabase(t);
    const other = openStore(url);
    t.after(() => other.close());
    const first = new LoginLimiter(store);
    const second = new LoginLimiter(other);
    for (let i = 0; i < 3; i += 1) await first.fail(['user:a'], NOW + i);
    assert.equal(await second.blocked(['user:a'], NOW + 5), false);
    for (let i = 3; i < 5; i += 1) await second.fail(['user:a'], NOW + i);
    assert.equal(await first.blocked(['user:a'], NOW + 5), true);
    assert.equal(await second.blocked(['user:a'], NOW + 5), true);
  });

  it('drops the failures that have left the window when it records a new one', async (t) => {
    const { store } = await createTestDatabase(t);
    const limiter = new LoginLimiter(store);
    for (let i = 0; i < 3; i += 1) await limiter.fail([`user:u${i}`, 'ip:1'], NOW + i);
    await limiter.fail(['user:late'], NOW + WINDOW + 1);
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
