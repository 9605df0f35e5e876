import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it, type TestContext } from 'node:test';
import { loginDelay, LoginLimiter, type LoginClient } from '../../src/auth/login-limiter.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { createTestDatabase, describeEachDatabase, TEST_TIMEOUTS } from '../helpers/database.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { databaseOf } from '../../src/storage/database-of.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const WINDOW = 15 * 60_000;

/** A database on disk (SQLite) or a schema (PostgreSQL) that a second store can open too. */
async function sharedDatabase(t: TestContext) {
  const folder = tempFolder(t, 'limiter');
  return createTestDatabase(t, { file: join(folder, 'status.db') });
}

/** A limiter whose slowdown does not wait: it notes the waits it was asked for. */
function limiterOf(store: Store): { limiter: LoginLimiter; waits: number[] } {
  const waits: number[] = [];
  const limiter = new LoginLimiter(store, async (ms) => waits.push(ms));
  return { limiter, waits };
}

/** Tries `count` logins that all fail; returns how many the limiter let through. */
async function failTries(limiter: LoginLimiter, client: LoginClient, count: number, at: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < count; i += 1) if (await limiter.begin(client, at + i)) allowed += 1;
  return allowed;
}

const alice = (address: string): LoginClient => ({ username: 'alice', address });

describeEachDatabase('login limiter', (database) => {
  it('refuses a username from one address after 5 failures within 15 minutes, in a window that slides; other pairs go on', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter } = limiterOf(store);
    assert.equal(await failTries(limiter, alice('1'), 5, NOW), 5);
    assert.equal(await limiter.begin(alice('1'), NOW + 10), undefined);
    assert.equal(await limiter.begin({ username: 'ALICE', address: '1' }, NOW + 10), undefined, 'usernames are counted without case');
    assert.notEqual(await limiter.begin(alice('2'), NOW + 11), undefined, 'the username from elsewhere');
    assert.notEqual(await limiter.begin({ username: 'bob', address: '1' }, NOW + 11), undefined, 'another username from the address');
    assert.equal(await limiter.begin(alice('1'), NOW + WINDOW - 1), undefined);
    assert.notEqual(await limiter.begin(alice('1'), NOW + WINDOW), undefined, 'the first failure has left the window');
  });

  it('refuses an address after 50 failures across usernames', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter } = limiterOf(store);
    for (let i = 0; i < 50; i += 1) assert.ok(await limiter.begin({ username: `user${i}`, address: '1' }, NOW + i));
    assert.equal(await limiter.begin({ username: 'someone-new', address: '1' }, NOW + 50), undefined);
    assert.ok(await limiter.begin({ username: 'someone-new', address: '2' }, NOW + 50));
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter } = limiterOf(store);
    for (let i = 0; i < 5; i += 1) assert.ok(await limiter.begin(alice(`2001:db8:1:2::${i + 1}`), NOW + i));
    assert.equal(await limiter.begin(alice('2001:db8:1:2:ffff::9'), NOW + 5), undefined);
    assert.ok(await limiter.begin(alice('2001:db8:1:3::1'), NOW + 5), 'another /64');
    assert.equal(await failTries(limiter, alice('192.0.2.1'), 5, NOW), 5);
    assert.equal(await limiter.begin(alice('::ffff:192.0.2.1'), NOW + 5), undefined);
  });

  it('slows a username down once it has 5 failures from anywhere: 1 s, doubling, at most 10 s, before the password check', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter, waits } = limiterOf(store);
    const delays = [];
    for (let i = 0; i < 10; i += 1) delays.push((await limiter.begin(alice(`10.0.0.${i}`), NOW + i))?.delayMs);
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 10_000]);
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000]);
    assert.equal(loginDelay(40), 10_000);
  });

  it('forgets the pair and the try itself after a successful login, not the username or the address', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter } = limiterOf(store);
    await failTries(limiter, alice('1'), 4, NOW);
    await failTries(limiter, alice('2'), 2, NOW);
    const success = await limiter.begin(alice('1'), NOW + 5);
    assert.ok(success);
    await success.succeeded();
    const rows = await databaseOf(store).selectFrom('login_failure').select('key').orderBy('key').execute();
    const counts: Record<string, number> = {};
    for (const { key } of rows) counts[key] = (counts[key] ?? 0) + 1;
    assert.deepEqual(counts, { 'ip:1': 4, 'ip:2': 2, 'pair:2|alice': 2, 'user:alice': 6 }, 'the successful try leaves nothing');
    assert.equal((await limiter.begin(alice('3'), NOW + 10))?.delayMs, 2000, 'the attack on the username still slows it: 6 failures');
  });

  // Two stores in one process only on PostgreSQL: better-sqlite3 waits for a lock synchronously,
  // so a second SQLite store here would stall the event loop of the first, which holds the lock.
  it(`lets exactly 5 of 20 concurrent tries of one pair through${database.dialect === 'postgres' ? ', on two instances' : ''}`, async (t) => {
    const { store, url } = await sharedDatabase(t);
    const stores = [store];
    if (database.dialect === 'postgres') {
      const other = openStore(url, TEST_TIMEOUTS);
      t.after(() => other.close());
      stores.push(other);
    }
    const limiters = stores.map((each) => limiterOf(each).limiter);
    const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => limiters[i % limiters.length]?.begin(alice('1'), NOW)));
    assert.equal(tries.filter((attempt) => attempt !== undefined).length, 5);
  });

  it('counts the failures seen by every instance on the database', async (t) => {
    const { store, url } = await sharedDatabase(t);
    const other = openStore(url, TEST_TIMEOUTS);
    t.after(() => other.close());
    const first = limiterOf(store).limiter;
    const second = limiterOf(other).limiter;
    await failTries(first, alice('1'), 3, NOW);
    assert.equal(await failTries(second, alice('1'), 2, NOW + 3), 2);
    assert.equal(await first.begin(alice('1'), NOW + 5), undefined);
    assert.equal(await second.begin(alice('1'), NOW + 5), undefined);
    assert.equal((await second.begin(alice('2'), NOW + 5))?.delayMs, 1000);
  });

  it('drops the failures that have left the window when it counts a new try', async (t) => {
    const { store } = await createTestDatabase(t);
    const { limiter } = limiterOf(store);
    for (let i = 0; i < 3; i += 1) await limiter.begin({ username: `u${i}`, address: '1' }, NOW + i);
    await limiter.begin({ username: 'late', address: '2' }, NOW + WINDOW + 1);
    const rows = await databaseOf(store).selectFrom('login_failure').select(['key', 'failed_at']).orderBy('key').execute();
    assert.deepEqual(
      rows.map((row) => [row.key, Number(row.failed_at)]),
      [
        ['ip:1', NOW + 2],
        ['ip:2', NOW + WINDOW + 1],
        ['pair:1|u2', NOW + 2],
        ['pair:2|late', NOW + WINDOW + 1],
        ['user:late', NOW + WINDOW + 1],
        ['user:u2', NOW + 2],
      ],
    );
  });
});
