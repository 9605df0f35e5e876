import type { FailureKind } from './failures.js';

/**
 * What storage tells whoever measures it (the metrics, src/metrics/): storage itself knows
 * nothing of Prometheus. Each call is synchronous and cheap, as it happens on the write path.
 */
export interface StorageObserver {
  /** A change held the write lock after waiting this long (seconds): the instance's queue, then the database's lock. */
  writeLockWaited(seconds: number): void;
  /** A group commit (batchedWrites) applied this many items in one transaction. */
  batchApplied(items: number): void;
  /** A read or a write failed for a reason the database's state explains (failures.ts). */
  databaseFailed(kind: FailureKind, operation: 'read' | 'write'): void;
}

/** Nobody measures: what a store observes until the server attaches its metrics. */
export const UNOBSERVED: StorageObserver = {
  writeLockWaited: () => undefined,
  batchApplied: () => undefined,
  databaseFailed: () => undefined,
};
