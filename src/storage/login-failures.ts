import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

export interface LoginClaim {
  /** a name for this try, unique to it */
  attempt: string;
  keys: readonly string[];
  at: number;
  /** failures at or before this moment no longer count, and are dropped */
  since: number;
  /** a key with this many failures since `since` is blocked */
  maxFailures: number;
}

/**
 * Counts the keys' failures and, unless one of them has used up its budget, records one more for
 * each, named by the try: all in one write transaction, so concurrent tries (on any instance)
 * are counted one after the other and never all pass the same count. Returns whether the try
 * may go ahead; a blocked try records nothing.
 */
export async function claimLoginAttempt(store: Store, claim: LoginClaim): Promise<boolean> {
  const { attempt, keys, at, since, maxFailures } = claim;
  return withWriteTransaction(store, async ({ tx }) => {
    await tx.deleteFrom('login_failure').where('failed_at', '<=', since).execute();
    if (keys.length === 0) return true;
    const rows = await tx
      .selectFrom('login_failure')
      .select(['key', (eb) => eb.fn.countAll<number | string>().as('failures')])
      .where('key', 'in', keys)
      .groupBy('key')
      .execute();
    if (rows.some((row) => Number(row.failures) >= maxFailures)) return false;
    await tx.insertInto('login_failure').values(keys.map((key) => ({ key, failed_at: at, attempt }))).execute();
    return true;
  });
}

/** A try succeeded: its own rows go, and every failure of `forgetKey` (the username) too. */
export async function settleLoginAttempt(store: Store, attempt: string, forgetKey: string): Promise<void> {
  await store.db
    .deleteFrom('login_failure')
    .where((eb) => eb.or([eb('attempt', '=', attempt), eb('key', '=', forgetKey)]))
    .execute();
}
