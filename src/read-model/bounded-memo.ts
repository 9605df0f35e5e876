/** A kept value and the moment it stops holding (an event starting or ending). */
export interface Held<T> {
  value: T;
  validUntil: number;
}

export interface MemoBounds {
  /** at most this many keys */
  keys: number;
  /** no new key once the values kept weigh this much (bytes, say): at most this plus one value in all */
  weight: number;
}

/**
 * Values for keys that clients choose (a query's filters and page, an id in the path), within
 * bounds: a client making up queries must not grow memory. The first keys asked for keep their
 * slots while the bounds allow; any other key gets undefined, unbuilt, and its caller builds its
 * answer for the one request. Evicting instead would let a client cycling through made-up queries
 * have every answer built (and compressed) again on every request. A value is built again in its
 * slot once `now` reaches the moment its build named.
 */
export class BoundedMemo<T> {
  private readonly slots = new Map<string, Held<T>>();
  private weight = 0;

  constructor(
    private readonly bounds: MemoBounds,
    private readonly weigh: (value: T) => number,
  ) {}

  keep(key: string, now: number, build: () => Held<T>): T | undefined {
    let slot = this.slots.get(key);
    if (slot === undefined && (this.slots.size >= this.bounds.keys || this.weight >= this.bounds.weight)) return undefined;
    if (slot === undefined || now >= slot.validUntil) {
      const built = build();
      this.weight += this.weigh(built.value) - (slot === undefined ? 0 : this.weigh(slot.value));
      this.slots.set(key, (slot = built));
    }
    return slot.value;
  }
}
