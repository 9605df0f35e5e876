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
