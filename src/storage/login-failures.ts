import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

/** A key whose failures are counted: with `max`, that many failures block a try. */
export interface LoginLimit {
  key: string;
  max?: number;
}

export interface LoginClaim {
  /** a name for this try, unique to it */
  attempt: string;
  limits: readonly LoginLimit[];
  at: number;
  /** failures at or before this moment no longer count, and are dropped */
  since: number;
}

/**
 * Counts the keys' failures and, unless one of them has used up its budget, records one more for
 * each, named by the try: all in one write transaction, so concurrent tries (on any instance)
 * are counted one after the other and never all pass the same count. Returns each key's failures
 * before this try, or undefined when the try is blocked; a blocked try records nothing.
 */
export async function claimLoginAttempt(store: Store, claim: LoginClaim): Promise<Map<string, number> | undefined> {
  const { attempt, limits, at, since } = claim;
  return withWriteTransaction(store, async ({ tx }) => {
    await tx.deleteFrom('login_failure').where('failed_at', '<=', since).execute();
    const failures = new Map(limits.map(({ key }) => [key, 0]));
    if (limits.length === 0) return failures;
    const rows = await tx
      .selectFrom('login_failure')
      .select(['key', (eb) => eb.fn.countAll<number | string>().as('failures')])
      .where('key', 'in', [...failures.keys()])
      .groupBy('key')
      .execute();
    for (const row of rows) failures.set(row.key, Number(row.failures));
    if (limits.some(({ key, max }) => max !== undefined && (failures.get(key) ?? 0) >= max)) return undefined;
    await tx.insertInto('login_failure').values(limits.map(({ key }) => ({ key, failed_at: at, attempt }))).execute();
    return failures;
  });
}

/** A try succeeded: its own rows go, and every failure of `forgetKey` too. */
export async function settleLoginAttempt(store: Store, attempt: string, forgetKey: string): Promise<void> {
  await withWriteTransaction(store, ({ tx }) =>
    tx
      .deleteFrom('login_failure')
      .where((eb) => eb.or([eb('attempt', '=', attempt), eb('key', '=', forgetKey)]))
      .execute(),
  );
}
