/** What the bench prints and writes: pure functions from measurements and options to text. */
import type { Dialect } from '../src/storage/store.js';
import type { BenchOptions, ReadEncoding } from './args.js';
import type { Measured } from './load-generator.js';
import { NOTIFIER } from './notifier-settings.js';
import {
  arrivalRate,
  combine,
  eventLatencies,
  otherStatuses,
  p99Change,
  percentiles,
  pooledLatency,
  ratioChange,
  relativeChange,
  throughputRatio,
  type ArrivalTime,
  type Counted,
  type Percentiles,
  type Round,
} from './statistics.js';

export const GOALS = {
  ratio: 0.4,
  ratioDrift: 0.1,
  posts: { sqlite: 1000, postgres: 500 } satisfies Record<Dialect, number>,
  p99: 50,
  /** the paced posts' p99 while webhooks receive, over the same without them, at most +10% */
  notifiedP99: 0.1,
};

export interface Row {
  scenario: string;
  database: Dialect;
  history: number;
  ours: number;
  bare: number | undefined;
  /** ours / bare, each summed over the rounds */
  ratio: number | undefined;
  /** CPU of the server process per response, µs; undefined: not one per row's unit */
  cpu: { ours: number | undefined; bare: number | undefined };
  p99: number;
  notes: string;
  goal: string;
}

export interface ReadRatio {
  database: Dialect;
  /** the path, and the encoding when compressed: `/history (br)` */
  path: string;
  history: number;
  /** ours and bare of each round; rounds of the same index ran side by side at every history size */
  rounds: Round[];
  /** bare CPU per response / ours: the ratio if the server, not the load generator, were the limit */
  cpuRatio: number;
  /** our server's CPU per answer, µs */
  cpuOurs: number;
  /** answer size, bytes */
  bytes: number;
}

/** What one database's process found (bench/worker.ts), sent to the orchestrator as JSON. */
export interface Part {
  rows: Row[];
  ratios: ReadRatio[];
  findings: string[];
}

export const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const megabytes = (bytes: number) =>
  bytes < 64 * 1024 ? `${fmt(bytes / 1024, 1)} KB` : `${fmt(bytes / 1024 / 1024, bytes < 1024 * 1024 ? 2 : 1)} MB`;

export const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${fmt(fraction * 100)}%`;

/** One read target at one history size, as measured: ours and bare, round by round. */
export interface ReadMeasurement {
  database: Dialect;
  history: number;
  path: string;
  /** how the answer was asked for (Accept-Encoding) and sent */
  encoding: ReadEncoding;
  contentType: string;
  /** answer size as sent, bytes */
  bytes: number;
  /** the same answer's size uncompressed, bytes */
  identityBytes: number;
  connections: number;
  rounds: number;
  ours: readonly Measured[];
  bare: readonly Measured[];
}

/** A read's name in lines, rows and the summary: its path, and its encoding when compressed. */
function readLabel(path: string, encoding: ReadEncoding): string {
  return encoding === 'identity' ? path : `${path} (${encoding})`;
}

/** An answer's size, and for a compressed one what share of the uncompressed size it is. */
function sizeNote(read: Pick<ReadMeasurement, 'encoding' | 'bytes' | 'identityBytes'>): string {
  if (read.encoding === 'identity') return megabytes(read.bytes);
  const share = read.identityBytes > 0 ? read.bytes / read.identityBytes : 0;
  return `${megabytes(read.bytes)} ${read.encoding}, ${fmt(share * 100, 1)}% of ${megabytes(read.identityBytes)}`;
}

/** A read target's log line, table row and ratios for the summary. */
export function describeRead(read: ReadMeasurement): { line: string; row: Row; ratio: ReadRatio } {
  const label = readLabel(read.path, read.encoding);
  const a = combine(read.ours);
  const b = combine(read.bare);
  const failures = read.ours.concat(read.bare).reduce((sum, run) => sum + otherStatuses(run.load, ['200']), 0);
  const counted = (run: Measured): Counted => ({ responses: run.load.responses, seconds: run.load.seconds });
  const rounds = read.ours.flatMap((run, i) => {
    const bare = read.bare[i];
    return bare ? [{ ours: counted(run), bare: counted(bare) }] : [];
  });
  const ratio = throughputRatio(rounds);
  const cpuRatio = a.cpuPerResponse > 0 ? b.cpuPerResponse / a.cpuPerResponse : 0;
  const line =
    `  ${fmt(read.history)} events, GET ${label} (${sizeNote(read)}, ${read.connections} conns): ours ${fmt(a.rps)} req/s (p99 ${fmt(a.p99, 1)} ms, server CPU ${fmt(a.cpu * 100)}%, ${fmt(a.cpuPerResponse)} µs/req), ` +
    `bare ${fmt(b.rps)} req/s (p99 ${fmt(b.p99, 1)} ms, server CPU ${fmt(b.cpu * 100)}%, ${fmt(b.cpuPerResponse)} µs/req), ` +
    `ratio ${fmt(ratio * 100)}%, server CPU ratio ${fmt(cpuRatio * 100)}%; load generator CPU ${fmt(a.loadCpu * 100)}% / ${fmt(b.loadCpu * 100)}%`;
  const row: Row = {
    scenario: `GET ${read.path.replace('/api/v1', '')}${read.contentType.startsWith('text/html') ? ' (HTML page)' : ''}${read.encoding === 'identity' ? '' : `, ${read.encoding}`}`,
    database: read.database,
    history: read.history,
    ours: a.rps,
    bare: b.rps,
    ratio,
    cpu: { ours: a.cpuPerResponse, bare: b.cpuPerResponse },
    p99: a.p99,
    notes:
      `${sizeNote(read)}, ${read.connections} conns, ${read.rounds} rounds; load generator ${fmt(Math.max(a.loadCpu, b.loadCpu) * 100)}% CPU` +
      (failures > 0 ? `; **${failures} non-200/errors**` : ''),
    goal: ratio >= GOALS.ratio && failures === 0 ? `✅ ≥ ${GOALS.ratio * 100}%` : `❌ < ${GOALS.ratio * 100}%${failures > 0 ? ' or errors' : ''}`,
  };
  return { line, row, ratio: { database: read.database, path: label, history: read.history, rounds, cpuRatio, cpuOurs: a.cpuPerResponse, bytes: read.bytes } };
}

/** One open page polled by readers (bench/capacity.ts): unchanged (304s) or changed at every poll. */
export interface ReadersMeasurement {
  database: Dialect;
  history: number;
  path: string;
  /** true: every poll carries the current tag (304); false: every poll gets the page */
  unchanged: boolean;
  /** the coding the page came in for a browser's Accept-Encoding */
  coding: string;
  /** bytes of each answer (0 for a 304) */
  bytes: number;
  connections: number;
  measured: Measured;
  pollSeconds: number;
}

/**
 * Readers one instance carries: answers per second on this machine (the load generator shares
 * its 2 cores) times the poll interval, and per core of the server's own CPU.
 */
export function describeReaders(read: ReadersMeasurement): { line: string; row: Row } {
  const { load, serverCpuPerResponse } = read.measured;
  const expected = read.unchanged ? '304' : '200';
  const failures = otherStatuses(load, [expected]);
  const readers = load.rps * read.pollSeconds;
  const readersPerCore = serverCpuPerResponse > 0 ? (read.pollSeconds * 1_000_000) / serverCpuPerResponse : 0;
  const what = read.unchanged ? 'unchanged since the last poll (304)' : `changed at every poll (200, ${read.coding} ${megabytes(read.bytes)})`;
  const line =
    `  readers of ${read.path}, ${what}: ${fmt(load.rps)} answers/s (p99 ${fmt(load.latency.p99, 1)} ms, ${fmt(serverCpuPerResponse, 1)} µs server CPU each) = ` +
    `${fmt(readers)} readers polling every ${read.pollSeconds} s on this machine, ${fmt(readersPerCore)} per core of server CPU`;
  const row: Row = {
    scenario: `Readers of ${read.path}, ${what}`,
    database: read.database,
    history: read.history,
    ours: load.rps,
    bare: undefined,
    ratio: undefined,
    cpu: { ours: serverCpuPerResponse, bare: undefined },
    p99: load.latency.p99,
    notes:
      `${fmt(readers)} readers polling every ${read.pollSeconds} s (load generator ${fmt(load.loadCpu * 100)}% CPU on the same cores); ${fmt(readersPerCore)} per server core; ${read.connections} conns` +
      (failures > 0 ? `; **${failures} not ${expected}**` : ''),
    goal: failures === 0 ? 'ℹ capacity' : `❌ not all ${expected}`,
  };
  return { line, row };
}

/** One post run: a mix, closed loop (rate undefined) or paced at the goal rate. */
export interface PostMeasurement {
  database: Dialect;
  history: number;
  mix: string;
  /** undefined: closed loop */
  rate: number | undefined;
  /** the goal rate of this database, posts/s */
  goal: number;
  postConnections: number;
  measured: Measured;
  /** audit counts before and after the run (warm-up included) */
  audit: { before: { opened: number; updated: number }; after: { opened: number; updated: number } };
  /** incidents the bench resolved during the run, and the most components they held at once */
  resolved: { events: number; maxLinks: number };
}

/** A post run's log line and table row. */
export function describePost(post: PostMeasurement): { line: string; row: Row } {
  const { measured, rate, goal } = post;
  const { load } = measured;
  const label = `POST /component_status, ${post.mix}, ${rate === undefined ? `closed loop, ${post.postConnections} conns` : `paced at ${goal}/s`}`;
  const created = load.statusCodes['201'] ?? 0;
  const conflicts = load.statusCodes['409'] ?? 0;
  const failures = otherStatuses(load, ['201', '409']);
  const others = Object.entries(load.statusCodes)
    .filter(([code]) => code !== '201' && code !== '409')
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  const p99Created = load.latencyByStatus['201']?.p99 ?? 0;
  const p99Conflict = load.latencyByStatus['409']?.p99 ?? 0;
  const rateOk = rate === undefined ? load.rps >= goal : load.rps >= goal * 0.97;
  // Closed loop answers as fast as it can: its p99 is queueing behind 50 connections, so
  // the latency goal is judged on the paced run, which offers the goal rate.
  const ok = rateOk && (rate === undefined || load.latency.p99 < GOALS.p99) && failures === 0;
  const { before, after } = post.audit;
  const line =
    `  ${label}: ${fmt(load.rps)} posts/s, p50 ${fmt(load.latency.p50, 1)} ms, p99 ${fmt(load.latency.p99, 1)} ms ` +
    `(201: p99 ${fmt(p99Created, 1)} ms, 409: p99 ${fmt(p99Conflict, 1)} ms), 201×${created}, 409×${conflicts}` +
    `${failures > 0 ? `, FAILURES: ${others} errors×${load.errors}` : ''}; ` +
    `audit (incl. warm-up): ${after.opened - before.opened} incidents opened, ${after.updated - before.updated} changed; ` +
    `the bench resolved ${post.resolved.events} incidents, holding up to ${post.resolved.maxLinks} components; ` +
    `server CPU ${fmt(measured.serverCpu * 100)}%, ELU ${fmt(measured.serverElu * 100)}%, load generator CPU ${fmt(load.loadCpu * 100)}%`;
  const row: Row = {
    scenario: `POST /component_status, ${post.mix}, ${rate === undefined ? `${post.postConnections} conns (max)` : `paced ${goal}/s`}`,
    database: post.database,
    history: post.history,
    ours: load.rps,
    bare: undefined,
    ratio: undefined,
    cpu: { ours: measured.serverCpuMicros / Math.max(1, load.responses), bare: undefined },
    p99: load.latency.p99,
    notes:
      `201×${created} (p99 ${fmt(p99Created, 1)} ms), 409×${conflicts} (p99 ${fmt(p99Conflict, 1)} ms)` +
      (failures > 0 ? `; **failures: ${others}${load.errors > 0 ? ` errors×${load.errors}` : ''}**` : '; no other status') +
      `; up to ${post.resolved.maxLinks} components in open incidents; server ${fmt(measured.serverCpu * 100)}% CPU`,
    goal: `${ok ? '✅' : '❌'} ≥ ${goal}/s${rate === undefined ? '' : `, p99 < ${GOALS.p99} ms`}`,
  };
  return { line, row };
}

/** A burst of news: maintenances created at once, each delivered to every webhook. */
export interface NotificationBurst {
  database: Dialect;
  history: number;
  webhooks: number;
  /** the maintenances, each with when its creation was answered (bench/clock.ts) */
  created: readonly { id: number; at: number }[];
  /** how long creating them all took, ms */
  creatingMs: number;
  /** what the receiver got from the first creation on */
  arrivals: readonly ArrivalTime[];
  /** deliveries the notifier gave up on */
  failed: number;
  /** the server process's CPU from the first creation to the last arrival, µs */
  serverCpuMicros: number;
}

const ms = (value: number) => `${fmt(value)} ms`;
const spread = (values: Percentiles) => `p50 ${ms(values.p50)}, p99 ${ms(values.p99)}, max ${ms(values.max)}`;

/** The burst's log line and table row: deliveries per second, and how long until every webhook had each event. */
export function describeBurst(burst: NotificationBurst): { line: string; row: Row } {
  const { webhooks, created } = burst;
  const ids = new Set(created.map((event) => event.id));
  const events = eventLatencies(created, burst.arrivals, webhooks);
  const times = burst.arrivals.filter((arrival) => !arrival.repeat && arrival.eventId !== null && ids.has(arrival.eventId)).map((arrival) => arrival.at);
  const rate = arrivalRate(times);
  const expected = webhooks * ids.size;
  // Loops, not Math.max(...list): a burst of many thousand deliveries would overflow the call's arguments.
  const firstCreated = created.reduce((min, event) => Math.min(min, event.at), Infinity);
  const lastCreated = created.reduce((max, event) => Math.max(max, event.at), -Infinity);
  const lastArrival = times.reduce((max, time) => Math.max(max, time), lastCreated);
  const serverCpu = burst.serverCpuMicros / 1e6 / Math.max(0.001, (lastArrival - firstCreated) / 1000);
  const ok = events.delivered === expected && events.repeats === 0 && burst.failed === 0;
  const all = percentiles(events.all);
  const first = percentiles(events.first);
  const notes =
    `${fmt(events.delivered)} of ${fmt(expected)} deliveries, ${fmt(rate.seconds, 1)} s from the first arrival to the last, the last ${fmt((lastArrival - lastCreated) / 1000, 1)} s ` +
    `after the last maintenance was created (creating them took ${ms(burst.creatingMs)}); creation → every webhook had it: ${spread(all)}; → first webhook: ${spread(first)}; ` +
    `${events.repeats > 0 ? `**${events.repeats} arrived twice**` : 'none twice'}, ${burst.failed > 0 ? `**${burst.failed} given up**` : 'none given up'}` +
    `${events.short > 0 ? `, **${events.short} events not at every webhook**` : ''}; server ${fmt(serverCpu * 100)}% CPU`;
  const row: Row = {
    scenario: `Webhooks: ${fmt(ids.size)} maintenances at once × ${webhooks} webhooks`,
    database: burst.database,
    history: burst.history,
    ours: rate.perSecond,
    bare: undefined,
    ratio: undefined,
    cpu: { ours: burst.serverCpuMicros / Math.max(1, events.delivered), bare: undefined },
    p99: all.p99,
    notes,
    goal: `${ok ? '✅' : '❌'} each delivered once`,
  };
  return { line: `  ${row.scenario}: ${fmt(rate.perSecond)} deliveries/s; ${notes}`, row };
}

/** One mix paced at the goal rate, in turn without webhooks and with them receiving (ABBA). */
export interface NotifiedPosts {
  database: Dialect;
  history: number;
  mix: string;
  /** the goal rate of this database, posts/s */
  goal: number;
  webhooks: number;
  /** the runs without a notifier */
  without: readonly Measured[];
  /** the runs with the notifier delivering to the webhooks */
  with: readonly Measured[];
  /** per run with webhooks: what the receiver got, from the notifier's start until it stopped */
  arrivals: readonly (readonly ArrivalTime[])[];
}

/** Paced runs of one kind as one: their answers added up, latencies pooled, the worst event-loop delay. */
interface RunTotals extends ReturnType<typeof combine> {
  runs: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** every answer, and those with 201 and 409 */
  latency: Percentiles;
  created: Percentiles;
  conflicts: Percentiles;
  /** the worst run's */
  loopDelay: { p99: number; max: number };
}

function totals(runs: readonly Measured[]): RunTotals {
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  for (const run of runs) {
    errors += run.load.errors;
    for (const [code, n] of Object.entries(run.load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const loads = runs.map((run) => run.load);
  return {
    ...combine(runs),
    runs: runs.length,
    statusCodes,
    errors,
    latency: pooledLatency(loads),
    created: pooledLatency(loads, '201'),
    conflicts: pooledLatency(loads, '409'),
    loopDelay: { p99: Math.max(0, ...runs.map((run) => run.serverLoopDelay?.p99 ?? 0)), max: Math.max(0, ...runs.map((run) => run.serverLoopDelay?.max ?? 0)) },
  };
}

/**
 * The three rows of a mix with notifications: its posts without webhooks and with them, each p99
 * over every request of its runs, the second judged against the first (at most +10%); and the time
 * from each report that opened an incident to the first webhook about it.
 */
export function describeNotifiedPosts(input: NotifiedPosts): { lines: string[]; rows: Row[] } {
  const { goal, webhooks } = input;
  const base = `POST /component_status, ${input.mix}, paced ${goal}/s`;
  const postRow = (scenario: string, sum: RunTotals, ok: boolean, goalText: string, extra: string): Row => {
    const failures = otherStatuses(sum, ['201', '409']);
    return {
      scenario,
      database: input.database,
      history: input.history,
      ours: sum.rps,
      bare: undefined,
      ratio: undefined,
      cpu: { ours: sum.cpuPerResponse, bare: undefined },
      p99: sum.latency.p99,
      notes:
        `${sum.runs} runs, p99 over all ${fmt(sum.latency.count)} requests; ` +
        `201×${sum.statusCodes['201'] ?? 0} (p99 ${fmt(sum.created.p99, 1)} ms), 409×${sum.statusCodes['409'] ?? 0} (p99 ${fmt(sum.conflicts.p99, 1)} ms)` +
        (failures > 0 ? `; **${failures} other answers or errors**` : '; no other status') +
        `; p50 ${fmt(sum.latency.p50, 1)} ms, max ${fmt(sum.latency.max, 1)} ms; server ${fmt(sum.cpu * 100)}% CPU, ` +
        `its event loop late by up to ${fmt(sum.loopDelay.p99, 1)} ms at p99 and ${fmt(sum.loopDelay.max, 1)} ms at most${extra}`,
      goal: `${ok && failures === 0 ? '✅' : '❌'} ${goalText}`,
    };
  };
  const without = totals(input.without);
  const notified = totals(input.with);
  // Round by round: a run's every latency, whatever its status.
  const latencies = (runs: readonly Measured[]) => runs.map((run) => Object.values(run.load.samples ?? {}).flat());
  const { change, low, high } = p99Change(latencies(input.without), latencies(input.with));
  const inside = insideTheServer(input.without, input.with);

  const opened = input.with.flatMap((run) => run.load.opened ?? []);
  const arrivals = input.arrivals.flat();
  const events = eventLatencies(opened, arrivals, webhooks);
  const rates = input.arrivals.map((run) => arrivalRate(run.filter((arrival) => !arrival.repeat).map((arrival) => arrival.at)));
  const delivered = rates.reduce((sum, rate) => sum + rate.count, 0);
  // As arrivalRate does for one run: the gaps between arrivals over the time they span, summed over the runs.
  const gaps = rates.reduce((sum, rate) => sum + Math.max(0, rate.count - 1), 0);
  const span = rates.reduce((sum, rate) => sum + rate.seconds, 0);
  const perSecond = span > 0 ? gaps / span : 0;
  const first = percentiles(events.first);
  const latencyOk = opened.length > 0 && events.short === 0 && events.repeats === 0;

  const rows = [
    postRow(`${base}, without notifications`, without, without.rps >= goal * 0.97 && without.latency.p99 < GOALS.p99, `≥ ${goal}/s, p99 < ${GOALS.p99} ms`, '; no notifier running'),
    postRow(
      `${base}, ${webhooks} webhooks receiving`,
      notified,
      change <= GOALS.notifiedP99,
      `p99 ≤ +${GOALS.notifiedP99 * 100}% of without: ${signed(change)} (90% interval ${signed(low)} to ${signed(high)} over ${Math.min(input.without.length, input.with.length)} rounds)`,
      `; the notifier delivered ${fmt(delivered)} messages meanwhile${inside}`,
    ),
    {
      scenario: `Report → first webhook, ${input.mix}, ${webhooks} webhooks`,
      database: input.database,
      history: input.history,
      ours: perSecond,
      bare: undefined,
      ratio: undefined,
      cpu: { ours: undefined, bare: undefined },
      p99: first.p99,
      notes:
        `${fmt(events.first.length)} of ${fmt(opened.length)} new incidents reached a webhook: report answered → first webhook ${spread(first)}; → all ${webhooks} webhooks ${spread(percentiles(events.all))}; ` +
        `${events.short > 0 ? `**${events.short} not at every webhook**` : 'every one at every webhook'}, ${events.repeats > 0 ? `**${events.repeats} arrived twice**` : 'none twice'}; ` +
        `${fmt(delivered)} deliveries, req/s: deliveries per second from each run's first arrival to its last`,
      goal: `${latencyOk ? '✅' : '❌'} every new incident at every webhook, once`,
    } satisfies Row,
  ];
  const lines = rows.map((item) => `  ${item.scenario}: ${fmt(item.ours)}/s, p99 ${fmt(item.p99, 1)} ms; ${item.goal}; ${item.notes}`);
  return { lines, rows };
}

/**
 * The same comparison on the server's own time per post (Fastify's, from request to answer):
 * what the load generator saw, less its own scheduling on a machine whose cores it shares with
 * the server and the webhook receiver. Empty when the runs did not record it.
 */
function insideTheServer(without: readonly Measured[], withRuns: readonly Measured[]): string {
  const times = (runs: readonly Measured[]) => runs.map((run) => run.serverAnswerTimes ?? []);
  if (![...times(without), ...times(withRuns)].some((run) => run.length > 0)) return '';
  const pooled = (runs: readonly Measured[]) => percentiles(times(runs).flat()).p99;
  const { change, low, high } = p99Change(times(without), times(withRuns));
  return `; inside the server p99 ${fmt(pooled(without), 1)} → ${fmt(pooled(withRuns), 1)} ms, ${signed(change)} (90% interval ${signed(low)} to ${signed(high)})`;
}

/** The change of every read target's ratio from the smallest history size to the largest. */
export function summary(ratios: readonly ReadRatio[], options: Pick<BenchOptions, 'sizes' | 'databases'>): string[] {
  const lines: string[] = [];
  const [small, large] = [options.sizes[0], options.sizes[options.sizes.length - 1]];
  if (small === undefined || large === undefined || small === large) return lines;
  for (const database of options.databases) {
    for (const path of new Set(ratios.map((r) => r.path))) {
      const a = ratios.find((r) => r.database === database && r.path === path && r.history === small);
      const b = ratios.find((r) => r.database === database && r.path === path && r.history === large);
      if (!a || !b) continue;
      const { change, low, high } = ratioChange(a.rounds, b.rounds);
      const ok = Math.abs(change) <= GOALS.ratioDrift;
      const cpuDrift = relativeChange(a.cpuRatio, b.cpuRatio);
      lines.push(
        `- GET ${path} on ${database}: ratio ${fmt(throughputRatio(a.rounds) * 100)}% at ${fmt(small)} events, ${fmt(throughputRatio(b.rounds) * 100)}% at ${fmt(large)} events ` +
          `→ change ${signed(change)} ${ok ? '✅' : '❌'} (goal ±${GOALS.ratioDrift * 100}%; 90% interval ${signed(low)} to ${signed(high)} over ${a.rounds.length} rounds); ` +
          `server CPU per answer, bare/ours: ${fmt(a.cpuRatio * 100)}% → ${fmt(b.cpuRatio * 100)}% (${signed(cpuDrift)}); ` +
          `ours ${fmt(a.cpuOurs)} → ${fmt(b.cpuOurs)} µs (${signed(relativeChange(a.cpuOurs, b.cpuOurs))}) for ${megabytes(a.bytes)} → ${megabytes(b.bytes)}`,
      );
    }
  }
  return lines;
}

export function table(rows: readonly Row[]): string {
  const header = ['Scenario', 'Database', 'History', 'Our req/s', 'Bare req/s', 'Ratio', 'p99 ms (ours)', 'Server CPU µs/req ours / bare', 'Goal', 'Notes'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i >= 2 && i <= 7 ? '---:' : '---')).join(' | ')} |`];
  for (const row of rows) {
    lines.push(
      `| ${[
        row.scenario,
        row.database,
        fmt(row.history),
        fmt(row.ours),
        row.bare === undefined ? '—' : fmt(row.bare),
        row.ratio === undefined ? '—' : `${fmt(row.ratio * 100)}%`,
        fmt(row.p99, 1),
        `${row.cpu.ours === undefined ? '—' : fmt(row.cpu.ours)}${row.cpu.bare === undefined ? '' : ` / ${fmt(row.cpu.bare)}`}`,
        row.goal,
        row.notes,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The machine, the commit and the settings, as the report's first line says them. */
export function environment(options: BenchOptions, source: string, machine: { node: string; cpus: number; model: string }): string {
  return (
    `${source}; Node ${machine.node}, ${machine.cpus} × ${machine.model}; ` +
    `reads: ${options.rounds} rounds of ${options.slice} s slices alternating ours/bare and sizes (ABBA), posts: ${options.duration} s per run; ${options.warmup} s warm-up; GET with ${options.connections} connections, POST with ${options.postConnections}; ` +
    `servers in a process per database, load generator (autocannon) in one long-lived child process of it; GET connections capped at ${fmt(options.inflightBytes / 1024 / 1024)} MB in flight` +
    (options.resolveEvery > 0 ? `; during posts every open incident is resolved each ${options.resolveEvery} ms (as operators would), so the rules keep opening, joining and escalating` : '') +
    (options.scenarios.has('notifications')
      ? `; notifications: ${options.webhooks} webhooks (whole cloud) at a receiver in a process of its own, ${options.notifyEvents} maintenances at once, ` +
        `${options.notifyRounds} rounds of paced posts without and with the webhooks, in turn (ABBA)`
      : '')
  );
}

/** How to read the notifications rows. */
function notificationNotes(options: Pick<BenchOptions, 'webhooks' | 'notifyEvents'>): string[] {
  return [
    `- Webhooks: ${options.webhooks} of them (whole cloud, json) point at a receiver in a process of its own (node:http on 127.0.0.1) that answers 200 at once and notes each delivery's idempotency key; ` +
      `the notifier runs in the server’s process as the server starts it (a pass every ${fmt(NOTIFIER.intervalMs / 1000)} s, claims of up to ${NOTIFIER.claimSize}, ${NOTIFIER.concurrency} deliveries in flight, ` +
      `${NOTIFIER.paceMs} ms between claims from a backlog, ${fmt(NOTIFIER.coalesceMs / 1000)} s coalescing, no mailer). ` +
      `“At once”: ${options.notifyEvents} maintenances created through POST /v2/events, each news for every webhook; req/s is deliveries per second from the first arrival to the last, p99 the time from a maintenance’s creation until every webhook had it.`,
    '- “without notifications” and “… webhooks receiving”: the mix paced at the goal rate with no notifier running (as the posts scenario runs it) and with one delivering to the webhooks, in turn (ABBA); ' +
      `each p99 is over every request of its runs, and the second is judged against the first: at most +${GOALS.notifiedP99 * 100}%. ` +
      'Runs of the same mix minutes apart on a busy machine differ by more than that: compare the pair, not either with the posts scenario’s rows. ' +
      '“Inside the server”: the same comparison on Fastify’s own time per post (request to answer), which leaves out how the load generator and the receiver, sharing the cores, were scheduled.',
    '- “Report → first webhook”: for each incident a report opened in the runs with webhooks, the time from that report’s answer (the first 201 naming it) to the first delivery about it (the body’s event_id) at the receiver; ' +
      'req/s is deliveries per second in those runs. The notifier looks for news once a second, so up to a second of it is waiting by design; ' +
      'coalescing holds back later changes of an incident (a minute after its last message), never its first message. Few incidents open per run, so its p99 is close to its max.',
  ];
}

/** The markdown written to --out (bench/results/latest.md). */
export function reportDocument(input: { at: Date; environment: string; part: Part; options: BenchOptions; seconds: number }): string {
  const { options, part } = input;
  return [
    '# Status Dashboard benchmark',
    '',
    `${input.at.toISOString()} — ${input.environment}.`,
    '',
    table(part.rows),
    '',
    'How to read it:',
    '',
    '- Ratio: our req/s ÷ the bare node:http server’s (same bytes, same process, same connections), each summed over the rounds’ slices. ' +
      'On 2 cores autocannon itself needs more than one core (see the notes), so with answers this large the ratio is mostly bounded by the load generator; ' +
      '“Server CPU µs/req” is what each server process spent per answer, the ratio it would reach if the server were the limit is bare ÷ ours.',
    '- Multi-megabyte answers are fetched over few connections (at most --inflight-mb in flight), otherwise a short run ends with dozens of half-sent answers uncounted.',
    '- POST “max”: closed loop with the given connections, as fast as the server answers; its p99 is mostly queueing (connections ÷ rate). ' +
      'POST “paced”: the goal rate offered open loop at even intervals (node:http, up to the POST connections), each latency counted from the moment its request was due; this p99 is the one the goal is about, so “max” rows are judged on their rate only.',
    `- Mixes: “${options.failing} failing components” is a steady state (most reports repeat an open incident: 409); ` +
      '“all 500 components failing” is a whole-cloud outage (every report may open, join, escalate or move). ' +
      (options.resolveEvery > 0 ? `Every ${options.resolveEvery} ms the bench resolves all open incidents, as operators would, so the rules keep opening new ones.` : ''),
    ...(options.scenarios.has('notifications') ? notificationNotes(options) : []),
    '',
    '## History size',
    '',
    'Every round measured both sizes back to back, ours and bare each, a slice at a time; a change is the ratio at the larger size over the ratio at the smaller, less one. ' +
      'Its 90% interval comes from drawing the rounds again with replacement (bootstrap): how far the machine’s noise could move it.',
    '',
    ...summary(part.ratios, options),
    '',
    '## Diagnostics',
    '',
    ...part.findings.map((line) => `- ${line}`),
    '',
    `Total time ${fmt(input.seconds)} s.`,
    '',
  ].join('\n');
}
