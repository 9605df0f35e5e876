import { describeFailure } from './failures.js';

export type HealthState = { up: true } | { up: false; since: number; reason: string };

/** Waits between recovery checks while the database is away: quick at first, then every 2 s at most. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 2_000;

/**
 * Whether this instance can reach its database, as it last found out (spec §8). While it cannot,
 * reads answer from memory without waiting and writes fail at once; a check with growing pauses
 * finds out when the database is back, and everything resumes by itself, without a restart.
 */
export class DatabaseHealth {
  private state: HealthState = { up: true };
  private readonly listeners = new Set<(state: HealthState) => void>();
  private retry: NodeJS.Timeout | undefined;
  private delay = FIRST_RETRY_MS;
  private closed = false;

  /** `check` asks the database something trivial; it throws when the database cannot answer. */
  constructor(private readonly check: () => Promise<unknown>) {}

  get down(): boolean {
    return !this.state.up;
  }

  get current(): HealthState {
    return this.state;
  }

  /** Called with every change between up and down (the server logs them). */
  onChange(listener: (state: HealthState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  markDown(error: unknown): void {
    if (this.closed) return;
    if (this.state.up) {
      this.state = { up: false, since: Date.now(), reason: describeFailure(error) };
      this.delay = FIRST_RETRY_MS;
      this.notify();
    }
    this.scheduleRetry();
  }

  markUp(): void {
    if (this.state.up) return;
    this.state = { up: true };
    clearTimeout(this.retry);
    this.retry = undefined;
    this.notify();
  }

  /** Stops the recovery checks (the store is closing). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.check().then(
        () => this.markUp(),
        (error: unknown) => {
          this.delay = Math.min(this.delay * 2, LAST_RETRY_MS);
          this.markDown(error);
        },
      );
    }, this.delay);
    // Recovery checks never keep a process alive that has nothing else to do.
    this.retry.unref();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.state);
  }
}
