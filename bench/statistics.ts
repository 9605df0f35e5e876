/** What the bench computes from its measurements: pure functions, no I/O. */
import { createRandom } from './catalog.js';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (the smallest value with at least q of them at or below it); zeros when empty. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** What a run counted: ratios are summed from these. */
export interface Counted {
  responses: number;
  seconds: number;
}

/** One round of a read target: ours and bare, side by side. */
export interface Round {
  ours: Counted;
  bare: Counted;
}

/**
 * Our throughput over the bare server's, each summed over the given rounds (all of them by
 * default): rounds are slices of one measurement, and a slice that a hiccup of the machine slowed
 * weighs by the time it took, as in one long run. 0 when the bare server counted nothing.
 */
export function throughputRatio(rounds: readonly Round[], picked: readonly number[] = rounds.map((_, i) => i)): number {
  const rate = (which: 'ours' | 'bare') => {
    let responses = 0;
    let seconds = 0;
    for (const i of picked) {
      responses += rounds[i]?.[which].responses ?? 0;
      seconds += rounds[i]?.[which].seconds ?? 0;
    }
    return seconds > 0 ? responses / seconds : 0;
  };
  const bare = rate('bare');
  return bare > 0 ? rate('ours') / bare : 0;
}

export interface RatioChange {
  change: number;
  /** the 90% bootstrap interval */
  low: number;
  high: number;
}

export const BOOTSTRAP_DRAWS = 2000;

/**
 * The change of the ratio from one history size to another, and its 90% bootstrap interval:
 * rounds drawn again with replacement, the same rounds at both sizes (they ran side by side).
 * The draws are seeded by the number of rounds, so the same rounds give the same interval.
 */
export function ratioChange(small: readonly Round[], large: readonly Round[]): RatioChange {
  const change = (picked?: readonly number[]) => {
    const before = throughputRatio(small, picked);
    return before > 0 ? throughputRatio(large, picked) / before - 1 : 0;
  };
  const count = Math.min(small.length, large.length);
  const random = createRandom(count);
  const draws = Array.from({ length: BOOTSTRAP_DRAWS }, () => change(Array.from({ length: count }, () => Math.floor(random() * count)))).sort((x, y) => x - y);
  return { change: change(), low: draws[Math.floor(draws.length * 0.05)] ?? 0, high: draws[Math.ceil(draws.length * 0.95) - 1] ?? 0 };
}

/** `after / before - 1`, or 0 when there is no before. */
export function relativeChange(before: number, after: number): number {
  return before > 0 ? after / before - 1 : 0;
}

/** What bench/load.ts reports of one run, as far as the statistics need it. */
export interface RunLoad {
  responses: number;
  seconds: number;
  latency: { p99: number };
  /** CPU the load generator used, a share of one core */
  loadCpu: number;
  statusCodes: Record<string, number>;
  errors: number;
}

/** One measured run: the load generator's counts and the server process's CPU over it. */
export interface RunMeasure {
  load: RunLoad;
  /** server CPU over the run, µs */
  serverCpuMicros: number;
  /** share of one core the server used */
  serverCpu: number;
}

export interface Combined {
  /** responses per second, from the totals */
  rps: number;
  /** the worst p99 of the runs, ms */
  p99: number;
  /** server CPU per response, µs */
  cpuPerResponse: number;
  /** mean server CPU share */
  cpu: number;
  /** mean load generator CPU share */
  loadCpu: number;
}

/** The mean of `values`, 0 when there are none. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

/** Rounds of one target as one run: rates from the totals, the worst p99, mean CPU shares. */
export function combine(runs: readonly RunMeasure[]): Combined {
  const responses = runs.reduce((sum, run) => sum + run.load.responses, 0);
  const seconds = runs.reduce((sum, run) => sum + run.load.seconds, 0);
  const cpuMicros = runs.reduce((sum, run) => sum + run.serverCpuMicros, 0);
  return {
    rps: seconds > 0 ? responses / seconds : 0,
    p99: Math.max(0, ...runs.map((run) => run.load.latency.p99)),
    cpuPerResponse: responses > 0 ? cpuMicros / responses : 0,
    cpu: mean(runs.map((run) => run.serverCpu)),
    loadCpu: mean(runs.map((run) => run.load.loadCpu)),
  };
}

/** Errors and answers with a status other than `expected`. */
export function otherStatuses(load: Pick<RunLoad, 'statusCodes' | 'errors'>, expected: readonly string[]): number {
  let count = load.errors;
  for (const [code, n] of Object.entries(load.statusCodes)) if (!expected.includes(code)) count += n;
  return count;
}

/**
 * Connections for a GET: the configured number, fewer for multi-megabyte answers. With 50 × 38 MB
 * in flight each answer takes seconds, so a short run counts a few hundred answers and drops the
 * ~50 unfinished at its end (a 20% error). But not too few: over 3 connections the rate follows
 * each answer's round trip, and a server answering a little later measured faster than the bare
 * one (a Fastify server answering 19 MB 1 ms later: 110-116% in 2 of 3 runs; ours on PostgreSQL,
 * after its version check: 107% over 8 connections, 100% over 20).
 */
export function getConnections(bodySize: number, connections: number, inflightBytes: number): number {
  return Math.min(connections, Math.max(8, Math.floor(inflightBytes / Math.max(1, bodySize))));
}

/** How fast deliveries arrived: from the first arrival to the last, n − 1 gaps; 0 per second with fewer than two. */
export function arrivalRate(times: readonly number[]): { count: number; seconds: number; perSecond: number } {
  if (times.length === 0) return { count: 0, seconds: 0, perSecond: 0 };
  let first = Infinity;
  let last = -Infinity;
  for (const time of times) {
    first = Math.min(first, time);
    last = Math.max(last, time);
  }
  const seconds = (last - first) / 1000;
  return { count: times.length, seconds, perSecond: times.length > 1 && seconds > 0 ? (times.length - 1) / seconds : 0 };
}

/** A delivery as the receiver noted it, as far as the statistics need it. */
export interface ArrivalTime {
  eventId: number | null;
  /** ms, on the clock the events' starts are on */
  at: number;
  /** an earlier attempt of the same delivery arrived already */
  repeat: boolean;
}

export interface EventLatencies {
  /** per event that got any delivery: ms from its start to the first */
  first: number[];
  /** per event that got all `each`: ms from its start to the last of them */
  all: number[];
  /** events that got fewer than `each` deliveries */
  short: number;
  /** deliveries about these events, repeats left out */
  delivered: number;
  /** deliveries about these events that arrived a second time */
  repeats: number;
}

/**
 * For every event that started at `started` (its report's answer, its creation), how long until
 * the first of its deliveries arrived, and until `each` of them had (one per webhook). Repeats
 * of a delivery count once; deliveries about other events are left out; an event listed twice
 * counts from its earlier start.
 */
export function eventLatencies(started: readonly { id: number; at: number }[], arrivals: readonly ArrivalTime[], each: number): EventLatencies {
  const startOf = new Map<number, number>();
  for (const { id, at } of started) startOf.set(id, Math.min(at, startOf.get(id) ?? Infinity));
  const byEvent = new Map<number, number[]>([...startOf.keys()].map((id) => [id, []]));
  let repeats = 0;
  for (const arrival of arrivals) {
    const times = arrival.eventId === null ? undefined : byEvent.get(arrival.eventId);
    if (!times) continue;
    if (arrival.repeat) repeats++;
    else times.push(arrival.at);
  }
  const result: EventLatencies = { first: [], all: [], short: 0, delivered: 0, repeats };
  for (const [id, at] of startOf) {
    const times = (byEvent.get(id) ?? []).sort((a, b) => a - b);
    result.delivered += times.length;
    const firstAt = times[0];
    if (firstAt !== undefined) result.first.push(firstAt - at);
    const eachAt = times[each - 1];
    if (eachAt === undefined) result.short++;
    else result.all.push(eachAt - at);
  }
  return result;
}

/**
 * The change of the pooled p99 latency from the runs without to the runs with (rounds ran in
 * pairs: `without[i]` beside `with[i]`), and its 90% bootstrap interval: whole rounds drawn again
 * with replacement, both runs of a round together, so that the interval shows how far the
 * machine's noise between runs could move the change, not only the sampling of requests. Each
 * draw needs only the slowest values of its runs (those the pooled p99 can be among), so a draw
 * sorts a few hundred values, not every request. Seeded by the number of rounds.
 */
export function p99Change(without: readonly (readonly number[])[], withRuns: readonly (readonly number[])[]): RatioChange {
  const count = Math.min(without.length, withRuns.length);
  const slowestFirst = (runs: readonly (readonly number[])[]) => runs.slice(0, count).map((run) => Float64Array.from(run).sort().reverse());
  const before = slowestFirst(without);
  const after = slowestFirst(withRuns);
  const change = (picked: readonly number[]) => relativeChange(pooledP99(before, picked), pooledP99(after, picked));
  const all = Array.from({ length: count }, (_, i) => i);
  const random = createRandom(count);
  const draws = Array.from({ length: count > 0 ? BOOTSTRAP_DRAWS : 0 }, () => change(Array.from({ length: count }, () => Math.floor(random() * count)))).sort((x, y) => x - y);
  return { change: change(all), low: draws[Math.floor(draws.length * 0.05)] ?? 0, high: draws[Math.ceil(draws.length * 0.95) - 1] ?? 0 };
}

/** The nearest-rank p99 (as `percentiles`) of the picked runs together, each sorted slowest first. */
function pooledP99(slowestFirst: readonly Float64Array[], picked: readonly number[]): number {
  const total = picked.reduce((sum, i) => sum + (slowestFirst[i]?.length ?? 0), 0);
  if (total === 0) return 0;
  // The p99 is the value at this rank counted from the slowest: no run can have more values above it.
  const fromSlowest = total - Math.ceil(0.99 * total) + 1;
  const tail = Float64Array.from(picked.flatMap((i) => Array.from((slowestFirst[i] ?? new Float64Array()).subarray(0, fromSlowest)))).sort().reverse();
  return tail[fromSlowest - 1] ?? 0;
}

/** Several runs' latencies as one: the percentiles of all their samples together, of every status or of the given one. */
export function pooledLatency(runs: readonly { samples?: Readonly<Record<string, readonly number[]>> | undefined }[], status?: string): Percentiles {
  return percentiles(runs.flatMap((run) => Object.entries(run.samples ?? {}).flatMap(([code, times]) => (status === undefined || code === status ? times : []))));
}
