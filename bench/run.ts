/**
 * `npm run bench`: read throughput (API reads and public pages, READ_TARGETS) against a bare
 * node:http ceiling, and sustained monitoring posts, on SQLite and PostgreSQL, with a
 * 500-component catalog and a short and a long history.
 * Prints a markdown table and writes it to bench/results/latest.md.
 *
 * Options (`npm run bench -- --duration 2 --databases sqlite`):
 *   --duration s          measured seconds per post run (default 4)
 *   --slice s             measured seconds per read run: ours or bare, one size, one round (1)
 *   --rounds n            read rounds; each measures ours and bare at every size (20)
 *   --warmup s            seconds run and thrown away before the first measured run (default 1)
 *   --connections n       GET connections (50), fewer (down to 8) for multi-megabyte answers (--inflight-mb)
 *   --inflight-mb n       GET connections × answer size stays below this (400)
 *   --post-connections n  POST connections (50)
 *   --sizes a,b           history sizes, ascending, seeded incrementally (500,50000)
 *   --databases list      sqlite,postgres
 *   --scenarios list      reads,posts
 *   --pg-url url          an existing database to connect to for `create database` (SD_BENCH_PG_URL)
 *   --failing n           components reporting in the steady post mix (25)
 *   --resolve-every ms    during posts, resolve every open incident this often; 0: never (2000)
 *   --skip-analyze        PostgreSQL: no planner statistics after seeding (autovacuum off)
 *   --out file            where the markdown goes
 *
 * Each database is benched in a process of its own (this script with --part), as production runs
 * one store per process: what one database's run leaves in the heap does not weigh on the next.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { signApiToken } from '../src/auth/api-tokens.js';
import { syncCatalog } from '../src/storage/components.js';
import type { ReadModel } from '../src/read-model/read-model.js';
import { migrateToLatest, openStore, type Dialect, type Store } from '../src/storage/store.js';
import { withWriteTransaction } from '../src/storage/write-transaction.js';
import { startBareServer, type BareResponse, type BareServer } from './bare.js';
import { benchCatalog, createRandom, statusReportBodies } from './catalog.js';
import type { LoadResult, LoadSpec } from './load.js';
import { seedHistory } from './seed.js';
import { BENCH_PAYLOAD_KEY, startOurServer, type RunningServer } from './server.js';
import { databaseOf } from '../src/storage/database-of.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const projectDir = dirname(benchDir);

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    slice: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    'post-connections': { type: 'string', default: '50' },
    sizes: { type: 'string', default: '500,50000' },
    databases: { type: 'string', default: 'sqlite,postgres' },
    scenarios: { type: 'string', default: 'reads,posts' },
    'pg-url': { type: 'string', default: process.env.SD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'resolve-every': { type: 'string', default: '2000' },
    failing: { type: 'string', default: '25' },
    'inflight-mb': { type: 'string', default: '400' },
    'skip-analyze': { type: 'boolean', default: false },
    out: { type: 'string', default: join(benchDir, 'results', 'latest.md') },
    /** internal: bench the one database of --databases and write its Part as JSON to this file */
    part: { type: 'string' },
  },
});

const settings = {
  duration: Number(args.duration),
  warmup: Number(args.warmup),
  slice: Number(args.slice),
  rounds: Math.max(1, Number(args.rounds)),
  connections: Number(args.connections),
  postConnections: Number(args['post-connections']),
  sizes: args.sizes
    .split(',')
    .map(Number)
    .filter((size) => Number.isInteger(size) && size >= 0)
    .sort((a, b) => a - b),
  databases: args.databases.split(',').filter((name): name is Dialect => name === 'sqlite' || name === 'postgres'),
  scenarios: new Set(args.scenarios.split(',')),
  pgUrl: args['pg-url'],
  resolveEvery: Number(args['resolve-every']),
  failing: Number(args.failing),
  inflightBytes: Number(args['inflight-mb']) * 1024 * 1024,
  analyze: !args['skip-analyze'],
  out: args.out,
};

/**
 * What the read scenarios GET, from our server and then, as captured, from the bare one: a path,
 * or one picked from the loaded read model (undefined: nothing to fetch). A new page is one line.
 * Pages are fetched plainly (no If-None-Match): full answers, not 304s.
 */
type ReadTarget = string | ((model: ReadModel) => string | undefined);
const READ_TARGETS: readonly ReadTarget[] = [
  '/api/v1/component_status',
  '/api/v1/incidents',
  '/',
  '/history',
  '/availability',
  (model) => oneOf(model.events.keys(), (id) => `/incidents/${id}`),
];

/** The path of the lowest id (the same seeded event at every history size), if there is one. */
function oneOf(ids: Iterable<number>, path: (id: number) => string): string | undefined {
  let lowest: number | undefined;
  for (const id of ids) if (lowest === undefined || id < lowest) lowest = id;
  return lowest === undefined ? undefined : path(lowest);
}

const GOALS = {
  ratio: 0.4,
  ratioDrift: 0.1,
  posts: { sqlite: 1000, postgres: 500 } satisfies Record<Dialect, number>,
  p99: 50,
};

interface Row {
  scenario: string;
  database: Dialect;
  history: number;
  ours: number;
  bare: number | undefined;
  /** ours / bare, each summed over the rounds */
  ratio: number | undefined;
  /** CPU of the server process per response, µs */
  cpu: { ours: number; bare: number | undefined };
  p99: number;
  notes: string;
  goal: string;
}

const rows: Row[] = [];
const findings: string[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Load generation in a child process, with this process's CPU and event-loop use measured
// exactly over the measured run (the child says when it starts).

interface Measured {
  load: LoadResult;
  /** CPU of this (the server) process over the measured run, µs */
  serverCpuMicros: number;
  /** CPU of this (the server) process over the measured run, µs per response */
  serverCpuPerResponse: number;
  /** share of one core this process used */
  serverCpu: number;
  /** event loop utilisation of this process */
  serverElu: number;
}

const children = new Set<ChildProcess>();

/**
 * The load generator process (bench/load.ts), started once and kept warm; runs go one at a time.
 * This process's CPU and event-loop use are measured exactly over each measured run (the child
 * says when it starts).
 */
class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { onLine(line: string): void; fail(error: Error): void } | undefined;
  private gone: Error | undefined;

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'load.ts')], { cwd: projectDir, stdio: ['pipe', 'pipe', 'inherit'] });
    children.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        children.delete(this.child);
        this.gone = new Error(`load generator exited with ${code ?? 'a signal'}`);
        this.pending?.fail(this.gone);
        resolve(code);
      }),
    );
    let buffered = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.pending?.onLine(line);
      }
    });
  }

  run(spec: LoadSpec): Promise<Measured> {
    const next = this.queue.then(() => this.measure(spec));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.exited;
  }

  private measure(spec: LoadSpec): Promise<Measured> {
    return new Promise((resolve, reject) => {
      if (this.gone) return reject(this.gone);
      let cpuStart: NodeJS.CpuUsage | undefined;
      let eluStart: EventLoopUtilization | undefined;
      let started = 0;
      this.pending = {
        fail: reject,
        onLine: (line) => {
          if (line === 'measuring') {
            cpuStart = process.cpuUsage();
            eluStart = performance.eventLoopUtilization();
            started = performance.now();
          } else if (line.startsWith('{')) {
            const cpu = process.cpuUsage(cpuStart);
            const elu = performance.eventLoopUtilization(eluStart);
            const seconds = (performance.now() - started) / 1000;
            const load = JSON.parse(line) as LoadResult;
            const cpuMicros = cpu.user + cpu.system;
            this.pending = undefined;
            resolve({
              load,
              serverCpuMicros: cpuMicros,
              serverCpuPerResponse: load.responses > 0 ? cpuMicros / load.responses : 0,
              serverCpu: cpuMicros / 1e6 / seconds,
              serverElu: elu.utilization,
            });
          }
        },
      };
      this.child.stdin?.write(`${JSON.stringify(spec)}\n`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Databases

interface BenchDatabase {
  url: string;
  cleanup(): Promise<void>;
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function createDatabase(dialect: Dialect): Promise<BenchDatabase | string> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sd-bench-'));
    return { url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sd_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(settings.pgUrl, `create database ${name}`);
  } catch (error) {
    return `PostgreSQL skipped: cannot create a database at ${redact(settings.pgUrl)} (${error instanceof Error ? error.message : String(error)})`;
  }
  const url = new URL(settings.pgUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: () => dropDatabase(name) };
}

/**
 * A closed pg pool has sent its goodbyes but its sockets may still be open for a moment; a forced
 * drop then kills them and the pool throws from an idle client. So: drop once the sessions are
 * gone, and force it only if they do not go.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await adminQuery(settings.pgUrl, `drop database if exists ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error; // object_in_use
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await adminQuery(settings.pgUrl, `drop database if exists ${name} with (force)`);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** What operators do between bursts of monitoring: resolve every open incident. */
async function resolveOpenIncidents(store: Store): Promise<{ events: number; links: number }> {
  return withWriteTransaction(store, async (context) => {
    const open = await context.tx.selectFrom('event').select('id').where('end_at', 'is', null).where('type', '=', 'incident').execute();
    if (open.length === 0) return { events: 0, links: 0 };
    const ids = open.map((row) => Number(row.id));
    const links = await context.tx
      .selectFrom('event_component')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('event_id', 'in', ids)
      .executeTakeFirst();
    const revision = await context.revision();
    const now = Date.now();
    await context.tx.updateTable('event').set({ end_at: now, status: 'resolved', revision, updated_at: now }).where('id', 'in', ids).execute();
    return { events: ids.length, links: Number(links?.count ?? 0) };
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const megabytes = (bytes: number) =>
  bytes < 64 * 1024 ? `${fmt(bytes / 1024, 1)} KB` : `${fmt(bytes / 1024 / 1024, bytes < 1024 * 1024 ? 2 : 1)} MB`;

/** What a run counted: ratios are summed from these. */
interface Counted {
  responses: number;
  seconds: number;
}

interface ReadRatio {
  database: Dialect;
  path: string;
  history: number;
  /** ours and bare of each round; rounds of the same index ran side by side at every history size */
  rounds: { ours: Counted; bare: Counted }[];
  /** bare CPU per response / ours: the ratio if the server, not the load generator, were the limit */
  cpuRatio: number;
  /** our server's CPU per answer, µs */
  cpuOurs: number;
  /** answer size, bytes */
  bytes: number;
}
const ratios: ReadRatio[] = [];

/** One database of a history size, seeded and migrated; the read scenarios serve all sizes at once. */
interface History {
  history: number;
  store: Store;
}

/** Our server and its bare twin for one history size, with the paths they answer. */
interface ReadServers {
  history: number;
  ours: RunningServer;
  bare: BareServer;
  routes: Map<string, BareResponse>;
  /** per READ_TARGETS entry: its path at this size, undefined when there is nothing to fetch */
  paths: (string | undefined)[];
}

async function startReadServers({ history, store }: History, secretKey: string): Promise<ReadServers> {
  const ours = await startOurServer(store, secretKey);
  log(`  ${fmt(history)} events: read model loaded in ${fmt(ours.warmMs)} ms (${ours.readModel.components.size} components, ${ours.readModel.events.size} events)`);
  const paths = READ_TARGETS.map((target) => (typeof target === 'string' ? target : target(ours.readModel)));
  const routes = new Map<string, BareResponse>();
  for (const path of paths) {
    if (path === undefined) continue;
    const started = performance.now();
    const response = await fetch(`${ours.url}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    // fetch would decode a compressed answer, and the bare server would then send other bytes.
    if (response.status !== 200 || response.headers.has('content-encoding')) throw new Error(`GET ${path}: ${response.status} ${response.headers.get('content-encoding') ?? ''}`);
    routes.set(path, { body, contentType: response.headers.get('content-type') ?? 'application/json' });
    log(`  ${fmt(history)} events: GET ${path}: ${megabytes(body.length)}, first answer (serialisation) in ${fmt(performance.now() - started)} ms`);
  }
  const bare = await startBareServer(routes);
  return { history, ours, bare, routes, paths };
}

/**
 * Every history size is served at once, and each round measures every size, ours and bare, for
 * a short slice each, in an order that turns round each round (ABBA). This machine's speed drifts
 * by tens of percent over seconds; slices a second apart see the same machine, so the drift
 * cancels out of the ratios, where runs of several seconds each caught different weather.
 */
async function readScenarios(histories: readonly History[], dialect: Dialect, secretKey: string, generator: LoadGenerator): Promise<void> {
  const servers: ReadServers[] = [];
  try {
    for (const history of histories) servers.push(await startReadServers(history, secretKey));
    for (let target = 0; target < READ_TARGETS.length; target++) {
      const measured = servers.map(() => ({ ours: [] as Measured[], bare: [] as Measured[] }));
      for (let round = 0; round < settings.rounds; round++) {
        const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
        for (const index of order) {
          const server = servers[index];
          const path = server?.paths[target];
          const runs = measured[index];
          if (!server || path === undefined || !runs) continue;
          const spec = (base: string): LoadSpec => ({
            url: `${base}${path}`,
            method: 'GET',
            connections: getConnections(server.routes.get(path)?.body.length ?? 0),
            duration: settings.slice,
            warmup: round === 0 ? settings.warmup : 0,
          });
          for (const which of round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
            if (which === 'ours') runs.ours.push(await generator.run(spec(server.ours.url)));
            else runs.bare.push(await generator.run(spec(server.bare.url)));
          }
        }
      }
      servers.forEach((server, index) => {
        const path = server.paths[target];
        const runs = measured[index];
        if (path !== undefined && runs) reportRead(dialect, server, path, runs.ours, runs.bare);
      });
    }
  } finally {
    for (const server of servers) {
      await server.bare.close();
      await server.ours.close();
    }
  }
}

/** One target at one history size: its log line, table row and ratios for the summary. */
function reportRead(dialect: Dialect, server: ReadServers, path: string, our: readonly Measured[], ceiling: readonly Measured[]): void {
  const route = server.routes.get(path);
  const size = route?.body.length ?? 0;
  const connections = getConnections(size);
  const a = combine(our);
  const b = combine(ceiling);
  const failures = our.concat(ceiling).reduce((sum, run) => sum + otherStatuses(run.load, ['200']), 0);
  const counted = (run: Measured): Counted => ({ responses: run.load.responses, seconds: run.load.seconds });
  const rounds = our.flatMap((run, i) => {
    const bare = ceiling[i];
    return bare ? [{ ours: counted(run), bare: counted(bare) }] : [];
  });
  const ratio = throughputRatio(rounds);
  const cpuRatio = a.cpuPerResponse > 0 ? b.cpuPerResponse / a.cpuPerResponse : 0;
  ratios.push({ database: dialect, path, history: server.history, rounds, cpuRatio, cpuOurs: a.cpuPerResponse, bytes: size });
  log(
    `  ${fmt(server.history)} events, GET ${path} (${connections} conns): ours ${fmt(a.rps)} req/s (p99 ${fmt(a.p99, 1)} ms, server CPU ${fmt(a.cpu * 100)}%, ${fmt(a.cpuPerResponse)} µs/req), ` +
      `bare ${fmt(b.rps)} req/s (p99 ${fmt(b.p99, 1)} ms, server CPU ${fmt(b.cpu * 100)}%, ${fmt(b.cpuPerResponse)} µs/req), ` +
      `ratio ${fmt(ratio * 100)}%, server CPU ratio ${fmt(cpuRatio * 100)}%; load generator CPU ${fmt(a.loadCpu * 100)}% / ${fmt(b.loadCpu * 100)}%`,
  );
  rows.push({
    scenario: `GET ${path.replace('/api/v1', '')}${route?.contentType.startsWith('text/html') ? ' (HTML page)' : ''}`,
    database: dialect,
    history: server.history,
    ours: a.rps,
    bare: b.rps,
    ratio,
    cpu: { ours: a.cpuPerResponse, bare: b.cpuPerResponse },
    p99: a.p99,
    notes:
      `${megabytes(size)}, ${connections} conns, ${settings.rounds} rounds; load generator ${fmt(Math.max(a.loadCpu, b.loadCpu) * 100)}% CPU` +
      (failures > 0 ? `; **${failures} non-200/errors**` : ''),
    goal: ratio >= GOALS.ratio && failures === 0 ? `✅ ≥ ${GOALS.ratio * 100}%` : `❌ < ${GOALS.ratio * 100}%${failures > 0 ? ' or errors' : ''}`,
  });
}

/**
 * Connections for a GET: the configured number, fewer for multi-megabyte answers. With 50 × 38 MB
 * in flight each answer takes seconds, so a short run counts a few hundred answers and drops the
 * ~50 unfinished at its end (a 20% error). But not too few: over 3 connections the rate follows
 * each answer's round trip, and a server answering a little later measured faster than the bare
 * one (a Fastify server answering 19 MB 1 ms later: 110-116% in 2 of 3 runs; ours on PostgreSQL,
 * after its version check: 107% over 8 connections, 100% over 20).
 */
function getConnections(bodySize: number): number {
  return Math.min(settings.connections, Math.max(8, Math.floor(settings.inflightBytes / Math.max(1, bodySize))));
}

/**
 * Our throughput over the bare server's, each summed over the given rounds (all of them by
 * default): rounds are slices of one measurement, and a slice that a hiccup of the machine slowed
 * weighs by the time it took, as in one long run.
 */
function throughputRatio(rounds: readonly { ours: Counted; bare: Counted }[], picked: readonly number[] = rounds.map((_, i) => i)): number {
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

/**
 * The change of the ratio from one history size to another, and its 90% bootstrap interval:
 * rounds drawn again with replacement, the same rounds at both sizes (they ran side by side).
 */
function ratioChange(small: ReadRatio, large: ReadRatio): { change: number; low: number; high: number } {
  const change = (picked?: readonly number[]) => {
    const before = throughputRatio(small.rounds, picked);
    return before > 0 ? throughputRatio(large.rounds, picked) / before - 1 : 0;
  };
  const count = Math.min(small.rounds.length, large.rounds.length);
  const random = createRandom(count);
  const draws = Array.from({ length: 2000 }, () => change(Array.from({ length: count }, () => Math.floor(random() * count)))).sort((x, y) => x - y);
  return { change: change(), low: draws[Math.floor(draws.length * 0.05)] ?? 0, high: draws[Math.ceil(draws.length * 0.95) - 1] ?? 0 };
}

/** Rounds of one target as one run: rates from the totals, the worst p99, mean CPU shares. */
function combine(runs: readonly Measured[]) {
  const responses = runs.reduce((sum, run) => sum + run.load.responses, 0);
  const seconds = runs.reduce((sum, run) => sum + run.load.seconds, 0);
  const cpuMicros = runs.reduce((sum, run) => sum + run.serverCpuMicros, 0);
  const mean = (value: (run: Measured) => number) => runs.reduce((sum, run) => sum + value(run), 0) / Math.max(1, runs.length);
  return {
    rps: seconds > 0 ? responses / seconds : 0,
    p99: Math.max(0, ...runs.map((run) => run.load.latency.p99)),
    cpuPerResponse: responses > 0 ? cpuMicros / responses : 0,
    cpu: mean((run) => run.serverCpu),
    loadCpu: mean((run) => run.load.loadCpu),
  };
}

function otherStatuses(load: LoadResult, expected: readonly string[]): number {
  let count = load.errors;
  for (const [code, n] of Object.entries(load.statusCodes)) if (!expected.includes(code)) count += n;
  return count;
}

interface PostMix {
  name: string;
  /** components that report; undefined: all of them */
  failing: number | undefined;
}

async function postScenarios(store: Store, dialect: Dialect, history: number, secretKey: string, tmp: string, generator: LoadGenerator): Promise<void> {
  const ours = await startOurServer(store, secretKey);
  const token = await signApiToken({ secretKey, payloadKey: BENCH_PAYLOAD_KEY }, { subject: 'bench-monitoring' });
  const goal = GOALS.posts[dialect];
  const mixes: PostMix[] = [
    { name: `${settings.failing} failing components`, failing: settings.failing },
    { name: 'all 500 components failing', failing: undefined },
  ];
  try {
    for (const mix of mixes) {
      const bodiesFile = join(tmp, `bodies-${dialect}-${mix.failing ?? 'all'}.json`);
      writeFileSync(bodiesFile, JSON.stringify(statusReportBodies(20_000, 7, mix.failing)));
      for (const rate of [undefined, goal]) {
        const label = `POST /component_status, ${mix.name}, ${rate === undefined ? `closed loop, ${settings.postConnections} conns` : `paced at ${goal}/s`}`;
        await resolveOpenIncidents(store);
        const auditBefore = await auditCounts(store);
        const resolved = { events: 0, maxLinks: 0 };
        let resolving = Promise.resolve();
        const timer =
          settings.resolveEvery > 0
            ? setInterval(() => {
                resolving = resolving.then(async () => {
                  const { events, links } = await resolveOpenIncidents(store);
                  resolved.events += events;
                  resolved.maxLinks = Math.max(resolved.maxLinks, links);
                });
              }, settings.resolveEvery)
            : undefined;
        let measured: Measured;
        try {
          const spec: LoadSpec = {
            url: `${ours.url}/api/v1/component_status`,
            method: 'POST',
            connections: settings.postConnections,
            duration: settings.duration,
            warmup: settings.warmup,
            headers: { authorization: `Bearer ${token}` },
            bodiesFile,
          };
          if (rate !== undefined) spec.overallRate = rate;
          measured = await generator.run(spec);
        } finally {
          if (timer) clearInterval(timer);
          await resolving;
        }
        const auditAfter = await auditCounts(store);
        const { load } = measured;
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
        log(
          `  ${label}: ${fmt(load.rps)} posts/s, p50 ${fmt(load.latency.p50, 1)} ms, p99 ${fmt(load.latency.p99, 1)} ms ` +
            `(201: p99 ${fmt(p99Created, 1)} ms, 409: p99 ${fmt(p99Conflict, 1)} ms), 201×${created}, 409×${conflicts}` +
            `${failures > 0 ? `, FAILURES: ${others} errors×${load.errors}` : ''}; ` +
            `audit (incl. warm-up): ${auditAfter.opened - auditBefore.opened} incidents opened, ${auditAfter.updated - auditBefore.updated} changed; ` +
            `the bench resolved ${resolved.events} incidents, holding up to ${resolved.maxLinks} components; ` +
            `server CPU ${fmt(measured.serverCpu * 100)}%, ELU ${fmt(measured.serverElu * 100)}%, load generator CPU ${fmt(load.loadCpu * 100)}%`,
        );
        rows.push({
          scenario: `POST /component_status, ${mix.name}, ${rate === undefined ? `${settings.postConnections} conns (max)` : `paced ${goal}/s`}`,
          database: dialect,
          history,
          ours: load.rps,
          bare: undefined,
          ratio: undefined,
          cpu: { ours: measured.serverCpuMicros / Math.max(1, load.responses), bare: undefined },
          p99: load.latency.p99,
          notes:
            `201×${created} (p99 ${fmt(p99Created, 1)} ms), 409×${conflicts} (p99 ${fmt(p99Conflict, 1)} ms)` +
            (failures > 0 ? `; **failures: ${others}${load.errors > 0 ? ` errors×${load.errors}` : ''}**` : '; no other status') +
            `; up to ${resolved.maxLinks} components in open incidents; server ${fmt(measured.serverCpu * 100)}% CPU`,
          goal: `${ok ? '✅' : '❌'} ≥ ${goal}/s${rate === undefined ? '' : `, p99 < ${GOALS.p99} ms`}`,
        });
      }
    }
  } finally {
    await ours.close();
  }
}

async function auditCounts(store: Store): Promise<{ opened: number; updated: number }> {
  const rowsByAction = await databaseOf(store)
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('entity', '=', 'event')
    .groupBy('action')
    .execute();
  const count = (action: string) => Number(rowsByAction.find((row) => row.action === action)?.count ?? 0);
  return { opened: count('event.open'), updated: count('event.update') };
}

/** The one database access of a read: what the version check costs, alone and 50 at a time. */
async function versionCheckCost(store: Store, dialect: Dialect, secretKey: string): Promise<void> {
  const ours = await startOurServer(store, secretKey);
  try {
    const sequential = async (label: string, call: () => Promise<unknown>) => {
      const n = 2000;
      for (let i = 0; i < 200; i++) await call();
      const started = performance.now();
      for (let i = 0; i < n; i++) await call();
      return `${label} ${fmt(((performance.now() - started) * 1000) / n, 1)} µs`;
    };
    const concurrent = async () => {
      let calls = 0;
      const until = performance.now() + 1000;
      await Promise.all(
        Array.from({ length: settings.connections }, async () => {
          while (performance.now() < until) {
            await store.committedVersion();
            calls++;
          }
        }),
      );
      return calls;
    };
    const line =
      `version check (${dialect}): ${await sequential('store.committedVersion()', () => store.committedVersion())}, ` +
      `${await sequential('readModel.fresh()', () => ours.readModel.fresh())} per call sequentially; ` +
      `${fmt(await concurrent())} committedVersion() answers/s to ${settings.connections} concurrent callers` +
      (dialect === 'postgres' ? ' (concurrent checks share one pending query)' : '');
    log(`  ${line}`);
    findings.push(line);
  } finally {
    await ours.close();
  }
}

// ---------------------------------------------------------------------------------------------

/** Databases and folders to remove if the bench is interrupted. */
const pendingCleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: cleaning up`);
    for (const child of children) child.kill();
    void Promise.allSettled([...pendingCleanups].map((cleanup) => cleanup())).then(() => process.exit(130));
  });
}

/**
 * One database per history size, each seeded the same way up to its size (the first 500 events
 * of the 50,000 are the 500), so that the read scenarios can serve every size side by side.
 */
async function benchDatabase(dialect: Dialect): Promise<void> {
  log(`\n## ${dialect}`);
  const histories: History[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'sd-bench-bodies-'));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(tmp, { recursive: true, force: true })];
  // Run once, however many callers (the run's end and a signal) ask: each waits for all of it.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) await step();
    })());
  pendingCleanups.add(cleanup);
  try {
    const now = Date.now();
    for (const history of settings.sizes) {
      const database = await createDatabase(dialect);
      if (typeof database === 'string') {
        log(database);
        findings.push(database);
        return;
      }
      const store = openStore(database.url);
      cleanups.push(async () => {
        await store.close().catch(() => undefined);
        await database.cleanup();
      });
      await migrateToLatest(store);
      const catalog = await syncCatalog(store, benchCatalog(), now, 'bench:catalog');
      const componentIds = catalog.created.map((component) => component.id);
      let seeded = 0;
      for (const size of settings.sizes.filter((size) => size <= history)) {
        const result = await seedHistory(store, { count: size - seeded, componentIds, now, seed: size, analyze: settings.analyze });
        seeded = size;
        if (size === history)
          log(
            `  ${fmt(history)} past events: ${componentIds.length} components, last step seeded ${fmt(result.events)} events, ${fmt(result.links)} links, ` +
              `${fmt(result.updates)} updates in ${fmt(result.milliseconds)} ms (revision ${result.revision}` +
              `${dialect === 'postgres' ? (settings.analyze ? ', then ANALYZE' : ', no ANALYZE') : ''})`,
          );
      }
      histories.push({ history, store });
    }
    const secretKey = randomBytes(32).toString('base64url');
    const longest = histories[histories.length - 1];
    if (!longest) return;
    const generator = new LoadGenerator();
    cleanups.push(() => generator.close());
    if (settings.scenarios.has('reads')) {
      log(`\n### ${dialect}, reads`);
      await readScenarios(histories, dialect, secretKey, generator);
      await versionCheckCost(longest.store, dialect, secretKey);
    }
    if (settings.scenarios.has('posts')) {
      log(`\n### ${dialect}, posts on ${fmt(longest.history)} past events`);
      await postScenarios(longest.store, dialect, longest.history, secretKey, tmp, generator);
    }
  } finally {
    pendingCleanups.delete(cleanup);
    await cleanup();
  }
}

const signed = (fraction: number) => `${fraction >= 0 ? '+' : ''}${fmt(fraction * 100)}%`;

function summary(): string[] {
  const lines: string[] = [];
  const [small, large] = [settings.sizes[0], settings.sizes[settings.sizes.length - 1]];
  if (small === undefined || large === undefined || small === large) return lines;
  for (const database of settings.databases) {
    for (const path of new Set(ratios.map((r) => r.path))) {
      const a = ratios.find((r) => r.database === database && r.path === path && r.history === small);
      const b = ratios.find((r) => r.database === database && r.path === path && r.history === large);
      if (!a || !b) continue;
      const { change, low, high } = ratioChange(a, b);
      const ok = Math.abs(change) <= GOALS.ratioDrift;
      const cpuDrift = a.cpuRatio > 0 ? b.cpuRatio / a.cpuRatio - 1 : 0;
      lines.push(
        `- GET ${path} on ${database}: ratio ${fmt(throughputRatio(a.rounds) * 100)}% at ${fmt(small)} events, ${fmt(throughputRatio(b.rounds) * 100)}% at ${fmt(large)} events ` +
          `→ change ${signed(change)} ${ok ? '✅' : '❌'} (goal ±${GOALS.ratioDrift * 100}%; 90% interval ${signed(low)} to ${signed(high)} over ${a.rounds.length} rounds); ` +
          `server CPU per answer, bare/ours: ${fmt(a.cpuRatio * 100)}% → ${fmt(b.cpuRatio * 100)}% (${signed(cpuDrift)}); ` +
          `ours ${fmt(a.cpuOurs)} → ${fmt(b.cpuOurs)} µs (${signed(a.cpuOurs > 0 ? b.cpuOurs / a.cpuOurs - 1 : 0)}) for ${megabytes(a.bytes)} → ${megabytes(b.bytes)}`,
      );
    }
  }
  return lines;
}

function table(): string {
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
        `${fmt(row.cpu.ours)}${row.cpu.bare === undefined ? '' : ` / ${fmt(row.cpu.bare)}`}`,
        row.goal,
        row.notes,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The commit measured, and whether src/ differs from it. */
function sourceVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: projectDir, encoding: 'utf8' }).trim() !== '';
    return `commit ${commit}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const cpu = cpus();
  const environment =
    `${sourceVersion()}; Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}; ` +
    `reads: ${settings.rounds} rounds of ${settings.slice} s slices alternating ours/bare and sizes (ABBA), posts: ${settings.duration} s per run; ${settings.warmup} s warm-up; GET with ${settings.connections} connections, POST with ${settings.postConnections}; ` +
    `servers in a process per database, load generator (autocannon) in one long-lived child process of it; GET connections capped at ${fmt(settings.inflightBytes / 1024 / 1024)} MB in flight` +
    (settings.resolveEvery > 0 ? `; during posts every open incident is resolved each ${settings.resolveEvery} ms (as operators would), so the rules keep opening, joining and escalating` : '');
  log(`# Status Dashboard benchmark\n${environment}`);
  for (const dialect of settings.databases) {
    const part = await benchInChild(dialect);
    rows.push(...part.rows);
    ratios.push(...part.ratios);
    findings.push(...part.findings);
  }

  const report = [
    '# Status Dashboard benchmark',
    '',
    `${new Date().toISOString()} — ${environment}.`,
    '',
    table(),
    '',
    'How to read it:',
    '',
    '- Ratio: our req/s ÷ the bare node:http server’s (same bytes, same process, same connections), each summed over the rounds’ slices. ' +
      'On 2 cores autocannon itself needs more than one core (see the notes), so with answers this large the ratio is mostly bounded by the load generator; ' +
      '“Server CPU µs/req” is what each server process spent per answer, the ratio it would reach if the server were the limit is bare ÷ ours.',
    '- Multi-megabyte answers are fetched over few connections (at most --inflight-mb in flight), otherwise a short run ends with dozens of half-sent answers uncounted.',
    '- POST “max”: closed loop with the given connections, as fast as the server answers; its p99 is mostly queueing (connections ÷ rate). ' +
      'POST “paced”: the goal rate offered open loop at even intervals (node:http, up to the POST connections), each latency counted from the moment its request was due; this p99 is the one the goal is about, so “max” rows are judged on their rate only.',
    `- Mixes: “${settings.failing} failing components” is a steady state (most reports repeat an open incident: 409); ` +
      '“all 500 components failing” is a whole-cloud outage (every report may open, join, escalate or move). ' +
      (settings.resolveEvery > 0 ? `Every ${settings.resolveEvery} ms the bench resolves all open incidents, as operators would, so the rules keep opening new ones.` : ''),
    '',
    '## History size',
    '',
    'Every round measured both sizes back to back, ours and bare each, a slice at a time; a change is the ratio at the larger size over the ratio at the smaller, less one. ' +
      'Its 90% interval comes from drawing the rounds again with replacement (bootstrap): how far the machine’s noise could move it.',
    '',
    ...summary(),
    '',
    '## Diagnostics',
    '',
    ...findings.map((line) => `- ${line}`),
    '',
    `Total time ${fmt((performance.now() - started) / 1000)} s.`,
    '',
  ].join('\n');
  log(`\n${report}`);
  mkdirSync(dirname(settings.out), { recursive: true });
  writeFileSync(settings.out, report);
  log(`written to ${relative(process.cwd(), settings.out)}`);
}

/** What one database's process found. */
interface Part {
  rows: Row[];
  ratios: ReadRatio[];
  findings: string[];
}

function benchInChild(dialect: Dialect): Promise<Part> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-part-'));
  const file = join(dir, 'part.json');
  const argv = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--databases', dialect, '--part', file];
  return new Promise<Part>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: process.cwd(), stdio: 'inherit' });
    children.add(child);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const waitForExit = () => exited;
    pendingCleanups.add(waitForExit);
    child.on('error', reject);
    child.on('exit', (code) => {
      children.delete(child);
      pendingCleanups.delete(waitForExit);
      try {
        if (code !== 0) throw new Error(`the ${dialect} bench exited with ${code ?? 'a signal'}`);
        resolve(JSON.parse(readFileSync(file, 'utf8')) as Part);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function benchPart(file: string): Promise<void> {
  const [dialect] = settings.databases;
  if (dialect) await benchDatabase(dialect);
  writeFileSync(file, JSON.stringify({ rows, ratios, findings } satisfies Part));
}

(args.part === undefined ? main() : benchPart(args.part)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
