import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import { classifyDatabaseError, DatabaseUnavailableError, describeFailure } from './failures.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { databaseOf, snapshotReaderOf } from './database-of.js';

declare const inWriteTransaction: unique symbol;

/**
 * The query builder of the one open write transaction. Every function that writes takes this
 * type, which only withWriteTransaction hands out: a write on the store's own connection, outside
 * the transaction and its lock, does not compile. (It reads like any Kysely, so readers take it too.)
 */
export type WriteTx = Kysely<Database> & { readonly [inWriteTransaction]: true };

/** The handle a state change works with: queries run inside the one open transaction. */
export interface WriteContext {
  readonly tx: WriteTx;
  /** The version this change publishes; the first call bumps the shared counter. */
  revision(): Promise<number>;
  /**
   * The moment of this change (spec §8, time under the lock): `clock` read now that the lock is
   * held, or the time of the latest commit if that is later (another instance's clock ran ahead),
   * so no change is ever dated before one committed earlier. The same value for the whole change.
   */
  now(clock: () => number): Promise<number>;
}

// Any constant works: every writer of every instance takes this one lock.
const WRITE_LOCK_KEY = 720_531_337;

/**
 * Runs `work` as one transaction that no other state change of any instance overlaps
 * (spec §6): PostgreSQL takes a transaction-level advisory lock as its first statement,
 * SQLite begins an immediate (write-locked) transaction. No network or file I/O belongs inside.
 */
export async function withWriteTransaction<T>(store: Store, work: (context: WriteContext) => Promise<T>, { durable = true }: Durability = {}): Promise<T> {
  // Called from inside a change of the same store: the change goes on in that transaction, which
  // holds the lock already; queueing behind it would wait for itself.
  const outer = openChange.getStore();
  if (outer?.store === store && outer.open) return work(outer.context);
  return oneAtATime(store, (queuedAt) => runWriteTransaction(store, work, durable, queuedAt));
}

/**
 * `durable: false` is for bookkeeping that a crash may lose and that is then done again, never
 * lost (the notifications' fan-out, claims and settlements): PostgreSQL commits it without
 * waiting for its write-ahead log to reach the disk (synchronous_commit off), so it does not hold
 * up the flush that monitoring's commits wait for. It stays atomic and in commit order.
 */
export interface Durability {
  durable?: boolean;
}

const beginStatement = (store: Store, lock: boolean, durable: boolean) => {
  if (store.dialect === 'sqlite') return 'begin immediate';
  return `begin;${lock ? ` select pg_advisory_xact_lock(${WRITE_LOCK_KEY});` : ''}${durable ? '' : ' set local synchronous_commit = off;'}`;
};

/** The change whose work is running, for nested calls (and only until it ends: work may leave callbacks behind). */
const openChange = new AsyncLocalStorage<{ store: Store; context: WriteContext; open: boolean }>();
let changesOpen = 0;

/**
 * Runs a change's work where nested calls find it. While any AsyncLocalStorage is enabled, Node
 * 20 tracks the context of every promise in the process, which cost each page read about a
 * tenth of its CPU; so the storage is enabled only while a change is open, and reads between
 * writes pay nothing. (Calls a finished change left behind find no change either way.)
 */
async function asOpenChange<T>(store: Store, context: WriteContext, work: (context: WriteContext) => Promise<T>): Promise<T> {
  const change = { store, context, open: true };
  changesOpen++;
  try {
    return await openChange.run(change, () => work(context));
  } finally {
    change.open = false;
    if (--changesOpen === 0) openChange.disable();
  }
}

/**
 * While the database is known to be away, a write fails at once instead of waiting out its
 * timeouts (the recovery check notices when it is back); a write that fails because the database
 * cannot be reached or is too busy is reported as unavailable, which the APIs answer with 503.
 */
async function guarded<T>(store: Store, write: () => Promise<T>): Promise<T> {
  const health = store.health.current;
  if (!health.up) throw new DatabaseUnavailableError(health.reason);
  try {
    return await write();
  } catch (error) {
    const kind = classifyDatabaseError(error);
    if (kind === undefined || error instanceof DatabaseUnavailableError) throw error;
    store.observer.databaseFailed(kind, 'write');
    if (kind === 'unreachable') store.health.markDown(error);
    throw new DatabaseUnavailableError(describeFailure(error), { cause: error });
  }
}

const writeQueues = new WeakMap<Store, Promise<unknown>>();

/**
 * Writers of one instance queue here instead of each holding a pooled connection while it waits
 * for the database lock: the pool stays free for reads, which would otherwise stall behind a
 * burst of writes. Waiting here is waiting for the write lock, so it is bounded by the same
 * timeout: behind a change that takes that long, the queue only grows.
 */
function oneAtATime<T>(store: Store, work: (queuedAt: number) => Promise<T>): Promise<T> {
  const previous = writeQueues.get(store) ?? Promise.resolve();
  const queuedAt = performance.now();
  const turn = () => {
    if (performance.now() - queuedAt > store.timeouts.lockMs) {
      store.observer.databaseFailed('busy', 'write');
      throw new DatabaseUnavailableError('the write lock is taken for too long');
    }
    return guarded(store, () => work(queuedAt));
  };
  const run = previous.then(turn, turn);
  writeQueues.set(store, run.catch(() => undefined));
  return run;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that queue for the write lock while another change holds it are applied
 * together, in arrival order, in the next transaction; `work` must treat each as if it were
 * alone, deciding it against the state the items before it left. During a burst (an outage
 * reported by every probe at once) this turns a queue of transactions into a few, and the read
 * model refreshes once per batch instead of once per item. If a batch fails, its items are tried
 * again one per transaction, so one bad item fails alone.
 */
export function batchedWrites<Item, Result>(
  work: (context: WriteContext, items: readonly Item[]) => Promise<Result[]>,
  maxItems = 200,
): (store: Store, item: Item) => Promise<Result> {
  const open = new WeakMap<Store, Waiting<Item, Result>[]>();
  const apply = (store: Store, context: WriteContext, items: readonly Item[]) => {
    store.observer.batchApplied(items.length);
    return work(context, items);
  };
  const runAlone = (store: Store, waiting: Waiting<Item, Result>) =>
    withWriteTransaction(store, async (context) => (await apply(store, context, [waiting.item]))[0] as Result).then(waiting.resolve, waiting.reject);
  return (store, item) =>
    new Promise<Result>((resolve, reject) => {
      const waiting = { item, resolve, reject };
      const batch = open.get(store);
      if (batch && batch.length < maxItems) {
        batch.push(waiting);
        return;
      }
      const next = [waiting];
      open.set(store, next);
      withWriteTransaction(store, (context) => {
        // Holding the lock now: whoever comes later waits for the next batch.
        if (open.get(store) === next) open.delete(store);
        return apply(store, context, next.map((entry) => entry.item));
      }).then(
        (results) => next.forEach((entry, i) => entry.resolve(results[i] as Result)),
        (error: unknown) => {
          // The lock may never have been taken (no connection): this batch takes no one else.
          if (open.get(store) === next) open.delete(store);
          // Without the database, one at a time would only fail the same way, each after its own wait.
          if (next.length === 1 || error instanceof DatabaseUnavailableError) for (const entry of next) entry.reject(error);
          else for (const entry of next) void runAlone(store, entry);
        },
      );
    });
}

async function runWriteTransaction<T>(store: Store, work: (context: WriteContext) => Promise<T>, durable: boolean, queuedAt: number): Promise<T> {
  let published: number | undefined;
  const result = await databaseOf(store).connection().execute(async (connection) => {
    // One round trip on PostgreSQL: both statements go in one simple-protocol message.
    await sql.raw(beginStatement(store, true, durable)).execute(connection);
    store.observer.writeLockWaited((performance.now() - queuedAt) / 1000);
    try {
      let revision: number | undefined;
      let now: number | undefined;
      const context: WriteContext = {
        tx: connection as WriteTx,
        async revision() {
          if (revision === undefined) {
            const row = await connection
              .updateTable('state')
              .set((eb) => ({ version: eb('version', '+', 1), ...(now === undefined ? {} : { at: now }) }))
              .where('id', '=', 1)
              .returning('version')
              .executeTakeFirstOrThrow();
            revision = Number(row.version);
          }
          return revision;
        },
        async now(clock) {
          if (now === undefined) {
            const reading = clock();
            const row = await connection.selectFrom('state').select('at').where('id', '=', 1).executeTakeFirstOrThrow();
            now = Math.max(reading, Number(row.at));
            if (revision !== undefined) await connection.updateTable('state').set({ at: now }).where('id', '=', 1).execute();
          }
          return now;
        },
      };
      const value = await asOpenChange(store, context, work);
      await sql.raw('commit').execute(connection);
      published = revision;
      return value;
    } catch (error) {
      await rollbackQuietly(connection);
      throw error;
    }
  });
  if (published !== undefined) store.noteCommittedVersion(published);
  return result;
}

/**
 * A transaction for the notifications' bookkeeping (claiming and settling deliveries), which
 * changes no state that the read model or the rules see: it takes no write lock and bumps no
 * version, so deliveries never wait behind a burst of monitoring writes. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` (PostgreSQL), so instances claiming at once take different rows;
 * SQLite has one writer at a time anyway. It queues with the instance's other writes. Not
 * durable unless asked (see Durability): a claim or a settlement lost in a crash is made again.
 */
export async function withQueueTransaction<T>(store: Store, work: (tx: WriteTx) => Promise<T>, { durable = false }: Durability = {}): Promise<T> {
  const outer = openChange.getStore();
  if (outer?.store === store && outer.open) return work(outer.context.tx);
  return oneAtATime(store, () =>
    databaseOf(store)
      .connection()
      .execute(async (connection) => {
        await sql.raw(beginStatement(store, false, durable)).execute(connection);
        try {
          const value = await work(connection as WriteTx);
          await sql.raw('commit').execute(connection);
          return value;
        } catch (error) {
          await rollbackQuietly(connection);
          throw error;
        }
      }),
  );
}

/** A consistent read of several queries: one snapshot of committed data (on the store's reader, if it has one). */
export async function withReadSnapshot<T>(store: Store, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return snapshotReaderOf(store)
    .connection()
    .execute(async (connection) => {
      await sql.raw(store.dialect === 'sqlite' ? 'begin' : 'begin isolation level repeatable read read only').execute(connection);
      try {
        const value = await work(connection);
        await sql.raw('commit').execute(connection);
        return value;
      } catch (error) {
        await rollbackQuietly(connection);
        throw error;
      }
    });
}

/** SQLite may already have rolled back on its own (a failed statement); the first error is the one to report. */
async function rollbackQuietly(connection: Kysely<Database>): Promise<void> {
  await sql.raw('rollback').execute(connection).catch(() => undefined);
}
