import { findMatchingComponent, type Component } from '../domain/component.js';
import { isActive, type StatusEvent } from '../domain/event.js';
import { isProposal, publicTimeline } from '../domain/event-status.js';
import { loadChangesSince, type ChangeSet } from '../storage/changes.js';
import { DeadlineExceeded, withDeadline } from '../storage/deadline.js';
import { classifyDatabaseError, DatabaseUnavailableError, isDatabaseUnavailable } from '../storage/failures.js';
import type { Store } from '../storage/store.js';

/** Where a read learns whether it was answered from the committed state or from memory alone. */
export interface ReadFreshness {
  /** set when the read could not reach the database: the moment (epoch ms) the model was last known current */
  staleAsOf?: number | undefined;
}

export interface ReadModelOptions {
  /**
   * How long a read waits for the database to confirm the model is current before it answers
   * from memory, marked stale (spec §8: the page outlives its database). Default 500 ms.
   */
  readWaitMs?: number;
  /** epoch milliseconds; tests pass their own clock */
  clock?: () => number;
}

export const DEFAULT_READ_WAIT_MS = 500;

/**
 * The whole catalog and history in memory, so that reads cost no queries beyond one version
 * check (spec: reads are served from memory). Every write bumps a version in the database; a
 * read that sees a newer version first loads what changed. A read issued after a write has
 * returned therefore sees it, on every instance (spec §2.8).
 */
export class ReadModel {
  readonly components = new Map<number, Component>();
  /** when each component was created (epoch ms) */
  readonly componentCreatedAt = new Map<number, number>();
  /** every event the public sees: all but proposals */
  readonly events = new Map<number, StatusEvent>();
  /**
   * Maintenances nobody approved (event-status.ts, isProposal): only people with a role see them,
   * so they are kept apart from everything the public reads (pages, feeds, badges, APIs).
   */
  readonly proposals = new Map<number, StatusEvent>();
  /** approved maintenances whole, with their review's entries, which `events` leaves out (publicTimeline) */
  private readonly reviewed = new Map<number, StatusEvent>();
  /** event ids per component, ascending: every event a component was ever part of */
  private readonly eventIdsByComponent = new Map<number, number[]>();
  /** per component: the version that last changed it or any event it is or was part of */
  private readonly componentStamps = new Map<number, number>();
  /** events that may still be active: everything changed since last asked, minus what had ended */
  private readonly activeCandidates = new Set<number>();
  private version = -1;
  private memo = new Map<string, unknown>();
  private refresh: Promise<void> | undefined;
  /** when the last read that found the model current began (epoch ms) */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private readonly readWaitMs: number;
  private readonly clock: () => number;
  private readonly boundedChecks = new WeakMap<Promise<number>, Promise<number>>();
  /** Told when a catch-up fails for a reason other than the database being away: a bug (the server logs it). */
  onFailure: (error: unknown) => void = () => undefined;
  /** Told how long each load of what changed took (seconds), the first (`initial`, the whole history) or a catch-up (the metrics). */
  onLoaded: (seconds: number, initial: boolean) => void = () => undefined;

  constructor(
    private readonly store: Store,
    options: ReadModelOptions = {},
  ) {
    this.readWaitMs = options.readWaitMs ?? DEFAULT_READ_WAIT_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** Loads the committed state, however long it takes; the server waits for this before it listens. */
  async load(): Promise<this> {
    const startedAt = this.clock();
    await this.catchUp();
    this.confirmedAt = Math.max(this.confirmedAt, startedAt);
    return this;
  }

  /**
   * Brings the model up to the committed state and returns it: a read issued after a write has
   * returned sees it, on every instance (spec §2.8). If the database does not confirm within the
   * read wait, or is known to be away, the model answers as it is and `reader` is told how old
   * that state is; the catch-up goes on by itself once the database answers again.
   */
  async fresh(reader?: ReadFreshness): Promise<this> {
    const startedAt = this.clock();
    const began = performance.now();
    let current = false;
    if (!this.store.health.down) {
      try {
        const check = this.store.committedVersion();
        const committed = await (this.store.waitsOnServer ? this.bounded(check) : check);
        if (committed > this.version) {
          // Loading what changed shares the read wait with the check: one wait in all, not two.
          const loading = this.catchUpTo(committed);
          await (this.store.waitsOnServer ? withDeadline(loading, Math.max(1, this.readWaitMs - (performance.now() - began))) : loading);
        }
        current = true;
      } catch (error) {
        if (!(error instanceof DeadlineExceeded) && !isDatabaseUnavailable(error)) this.onFailure(error);
      }
    }
    if (current) this.confirmedAt = Math.max(this.confirmedAt, startedAt);
    if (reader) reader.staleAsOf = current ? undefined : this.confirmedAt;
    return this;
  }

  /**
   * A version check bounded by the read wait. The reads of one turn share one check (store.ts),
   * so they share its one timer too: a timer per read cost a noticeable share of a cached read.
   */
  private bounded(check: Promise<number>): Promise<number> {
    let bounded = this.boundedChecks.get(check);
    if (!bounded) {
      bounded = withDeadline(check, this.readWaitMs);
      this.boundedChecks.set(check, bounded);
    }
    return bounded;
  }

  private async catchUp(): Promise<void> {
    await this.catchUpTo(await this.store.committedVersion());
  }

  private async catchUpTo(committed: number): Promise<void> {
    while (committed > this.version) {
      this.refresh ??= this.loadChanges().finally(() => {
        this.refresh = undefined;
      });
      await this.refresh;
    }
  }

  /** A value derived from the current state, built once per version (serialised responses). */
  memoize<T>(key: string, build: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = build();
    this.memo.set(key, value);
    return value;
  }

  /** Like memoize, for values that also follow the clock: rebuilt whenever `stamp` (a minute, say) changes. */
  memoizeStamped<T>(key: string, stamp: number, build: () => T): T {
    const slot = this.memoize(key, (): { stamp: number; value?: T } => ({ stamp: Number.NaN }));
    if (slot.stamp !== stamp) {
      slot.value = build();
      slot.stamp = stamp;
    }
    return slot.value as T;
  }

  /** Changes whenever the component or any of its events changes: a key for cached renderings. */
  componentStamp(componentId: number): number {
    return this.componentStamps.get(componentId) ?? 0;
  }

  /**
   * An event a write has just returned: after `fresh()` it is here, unless the database went
   * away between the commit and the read-back (then the client is told to ask again).
   */
  savedEvent(id: number): StatusEvent {
    const event = this.anyEvent(id);
    if (!event) throw new DatabaseUnavailableError(`event ${id} was saved but cannot be read back yet`);
    return event;
  }

  /** An event as people with a role see it: a proposal, or a published one with its whole timeline. */
  anyEvent(id: number): StatusEvent | undefined {
    return this.proposals.get(id) ?? this.reviewed.get(id) ?? this.events.get(id);
  }

  /** Every event as people with a role see them (anyEvent), proposals included. */
  *staffEvents(): Iterable<StatusEvent> {
    for (const event of this.events.values()) yield this.reviewed.get(event.id) ?? event;
    yield* this.proposals.values();
  }

  eventsOf(componentId: number): StatusEvent[] {
    const ids = this.eventIdsByComponent.get(componentId) ?? [];
    return ids.map((id) => this.events.get(id)).filter((event): event is StatusEvent => event !== undefined);
  }

  /** The component a report names (reference v1 §2.6), as of this version. */
  findComponent(name: string, wanted: ReadonlyMap<string, string>): Component | undefined {
    const byName = this.memoize('components-by-name', () => {
      const index = new Map<string, Component[]>();
      for (const component of this.components.values()) index.set(component.name, [...(index.get(component.name) ?? []), component]);
      return index;
    });
    return findMatchingComponent(byName.get(name) ?? [], name, wanted);
  }

  /** Like memoize, for values that hold until a moment they name (the next event start, say). */
  memoizeUntil<T>(key: string, now: number, build: () => { value: T; validUntil: number }): T {
    const slot = this.memoize(key, (): { validUntil: number; value?: T } => ({ validUntil: Number.NEGATIVE_INFINITY }));
    if (now >= slot.validUntil) Object.assign(slot, build());
    return slot.value as T;
  }

  /** Events active at `now`, without walking the history. */
  activeEvents(now: number): StatusEvent[] {
    return this.currentEvents(now).filter((event) => isActive(event, now));
  }

  /** Events that have not ended at `now`, planned ones included: ended events leave the candidates for good. */
  currentEvents(now: number): StatusEvent[] {
    const current: StatusEvent[] = [];
    for (const id of this.activeCandidates) {
      const event = this.events.get(id);
      if (!event || (event.endAt !== null && event.endAt <= now)) this.activeCandidates.delete(id);
      else current.push(event);
    }
    return current;
  }

  private async loadChanges(): Promise<void> {
    const began = performance.now();
    const initial = this.version < 0;
    let changes: ChangeSet;
    try {
      changes = await loadChangesSince(this.store, this.version);
    } catch (error) {
      const kind = classifyDatabaseError(error);
      if (kind) this.store.observer.databaseFailed(kind, 'read');
      throw error;
    }
    this.apply(changes);
    this.onLoaded((performance.now() - began) / 1000, initial);
  }

  private apply(changes: ChangeSet): void {
    if (changes.version <= this.version) return;
    for (const component of changes.components) {
      this.components.set(component.id, component);
      this.componentCreatedAt.set(component.id, changes.componentCreatedAt.get(component.id) ?? Number.NEGATIVE_INFINITY);
      this.componentStamps.set(component.id, changes.version);
    }
    for (const event of changes.events) {
      const previous = this.events.get(event.id);
      for (const id of previous?.componentIds ?? []) {
        this.unindex(id, event.id);
        this.componentStamps.set(id, changes.version);
      }
      if (isProposal(event)) {
        this.events.delete(event.id);
        this.reviewed.delete(event.id);
        this.proposals.set(event.id, event);
        continue;
      }
      this.proposals.delete(event.id);
      const published = publicTimeline(event);
      if (published === event) this.reviewed.delete(event.id);
      else this.reviewed.set(event.id, event);
      this.events.set(event.id, published);
      this.activeCandidates.add(event.id);
      for (const id of event.componentIds) {
        this.index(id, event.id);
        this.componentStamps.set(id, changes.version);
      }
    }
    this.version = changes.version;
    this.memo = new Map();
  }

  private index(componentId: number, eventId: number): void {
    const ids = this.eventIdsByComponent.get(componentId) ?? [];
    if (ids.includes(eventId)) return;
    ids.push(eventId);
    if (ids.length > 1 && (ids.at(-2) ?? 0) > eventId) ids.sort((a, b) => a - b);
    this.eventIdsByComponent.set(componentId, ids);
  }

  private unindex(componentId: number, eventId: number): void {
    const ids = this.eventIdsByComponent.get(componentId);
    const at = ids?.indexOf(eventId) ?? -1;
    if (ids && at >= 0) ids.splice(at, 1);
  }
}
