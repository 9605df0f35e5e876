import type { Store } from './store.js';

/** How many failures each of the keys has had since `since` (keys without any are missing). */
export async function countLoginFailures(store: Store, keys: readonly string[], since: number): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('login_failure')
    .select(['key', (eb) => eb.fn.countAll<number | string>().as('failures')])
    .where('key', 'in', keys)
    .where('failed_at', '>', since)
    .groupBy('key')
    .execute();
  return new Map(rows.map((row) => [row.key, Number(row.failures)]));
}

/** Records one failure for each key, and forgets every failure older than `forgetBefore`. */
export async function recordLoginFailure(store: Store, keys: readonly string[], at: number, forgetBefore: number): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('login_failure').where('failed_at', '<=', forgetBefore).execute();
    if (keys.length > 0) await trx.insertInto('login_failure').values(keys.map((key) => ({ key, failed_at: at }))).execute();
  });
}

export async function forgetLoginFailures(store: Store, key: string): Promise<void> {
  await store.db.deleteFrom('login_failure').where('key', '=', key).execute();
}
