/**
 * What a webhook delivery costs the server's process, without the bench (issue 18): the notifier
 * as the bench starts it (the settings of src/runtime/server.ts), `--webhooks` webhooks (whole
 * cloud, json) at the bench's receiver (a process of its own), and `--news` maintenances a week
 * ahead, fanned out before the measurement starts. A run lasts until every webhook has had every
 * one, and gives per delivery the CPU of the whole process, of its main thread (the event loop
 * monitoring's requests share; Linux) and of the PostgreSQL backends serving it (a local server).
 * With `--delay` it gives instead how late a timer due every millisecond ran, the longest and the
 * 99th percentile: that timer costs CPU itself, so those runs give no CPU figures. Medians over
 * `--runs`, after `--warm-up` runs in the same process; `--profile` writes a CPU profile of the
 * last run. The machine's other work shows in every figure: compare two versions in turns.
 *
 *   node --import tsx scripts/notifier-cpu.ts [--database sqlite|postgres] [--webhooks 20] [--news 50] [--runs 5]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Cleanups } from '../bench/cleanup.js';
import { createBenchDatabase } from '../bench/databases.js';
import { NOTIFIER } from '../bench/notifier-settings.js';
import { WebhookReceiver } from '../bench/webhook-receiver.js';
import { subscriptionLinkKey } from '../src/auth/subscription-links.js';
import { WHOLE_CLOUD } from '../src/domain/notifications/scope.js';
import { startNotifier } from '../src/notify/notifier.js';
import { newWebhookSecret } from '../src/notify/webhook-client.js';
import { ReadModel } from '../src/read-model/read-model.js';
import { syncCatalogFile } from '../src/runtime/catalog-file.js';
import { databaseOf } from '../src/storage/database-of.js';
import { openEvent } from '../src/storage/event-edits.js';
import { fanOut } from '../src/storage/fan-out.js';
import { migrateToLatest, openStore, type Dialect, type Store } from '../src/storage/store.js';
import { addWebhook } from '../src/storage/webhooks.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string', default: process.env.SD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    webhooks: { type: 'string', default: '20' },
    news: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' },
    'warm-up': { type: 'string', default: '2' },
    delay: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const dialect = values.database as Dialect;
if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--database: sqlite or postgres');
const webhooks = Number(values.webhooks);
const news = Number(values.news);
const pgUrl = values['pg-url'];
const DAY = 24 * 60 * 60_000;

interface Run {
  deliveries: number;
  seconds: number;
  /** µs of CPU per delivery: the process, its main thread, the PostgreSQL backends */
  process: number;
  mainThread: number;
  postgres: number;
  /** ms a 1-ms timer ran late (--delay) */
  delayMax: number;
  delayP99: number;
}

/** The main thread's CPU time in µs (its schedstat: ns on a CPU); NaN where there is none. */
function mainThreadCpu(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1_000;
  } catch {
    return Number.NaN;
  }
}

/** The CPU time in µs of each PostgreSQL backend serving this database, by pid (readable when the server is local). */
async function backendCpu(store: Store): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (store.dialect !== 'postgres') return cpu;
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(databaseOf(store));
  for (const { pid } of rows.rows) {
    try {
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100);
    } catch {
      cpu.set(pid, Number.NaN);
    }
  }
  return cpu;
}

async function measure(cleanups: Cleanups, profile: string | undefined): Promise<Run> {
  const database = await createBenchDatabase(dialect, pgUrl);
  if (typeof database === 'string') throw new Error(database);
  const store = openStore(database.url);
  const receiver = await WebhookReceiver.start(cleanups);
  try {
    await migrateToLatest(store);
    const now = Date.now();
    await syncCatalogFile(store, 'examples/catalog.yaml', now, 'script:notifier-cpu');
    for (let hook = 0; hook < webhooks; hook++) {
      await addWebhook(store, { url: `${receiver.url}/hook/${hook}`, format: 'json', secret: newWebhookSecret(), scope: WHOLE_CLOUD }, now, 'script:notifier-cpu');
    }
    // As a deployment starts: the catalog is nobody's news.
    await sql`update notification_cursor set version = (select version from state where id = 1) where id = 1`.execute(databaseOf(store));
    const ids: number[] = [];
    for (let index = 0; index < news; index++) {
      const startAt = now + 7 * DAY + index * 60 * 60_000;
      const spec = { type: 'maintenance' as const, title: `Maintenance ${index + 1}`, description: null, impact: 0 as const, startAt, endAt: startAt + 30 * 60_000, creator: 'script', contactEmail: null };
      const opened = await openEvent(store, spec, [1 + (index % 50)], () => Date.now(), 'script:notifier-cpu', 'operator');
      if (opened.outcome !== 'created') throw new Error(`maintenance ${index + 1}: ${opened.outcome}`);
      ids.push(opened.eventId);
    }
    const readModel = await new ReadModel(store).load();
    const settings = { reminderLeads: [], coalesceMs: NOTIFIER.coalesceMs };
    const fannedOut = await fanOut(store, () => Date.now(), settings);
    if (fannedOut.deliveries !== webhooks * news) throw new Error(`${fannedOut.deliveries} deliveries fanned out, not ${webhooks * news}`);
    await receiver.take();

    let session: Session | undefined;
    if (profile) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const delay = monitorEventLoopDelay({ resolution: 1 });
    if (values.delay) delay.enable();
    const postgresBefore = await backendCpu(store);
    const started = performance.now();
    const processBefore = process.cpuUsage();
    const mainBefore = mainThreadCpu();
    const notifier = startNotifier(
      { store, readModel, clock: () => Date.now(), log: { info: () => undefined, warn: (details, message) => console.error(message, details), error: (details, message) => console.error(message, details) } },
      { ...NOTIFIER, ...settings, publicUrl: 'https://status.example.org', site: 'Status Dashboard', linkKey: subscriptionLinkKey('notifier-cpu'), mailer: undefined },
    );
    const complete = await receiver.awaitEvents(ids, webhooks, 120_000);
    const processCpu = process.cpuUsage(processBefore);
    const mainCpu = mainThreadCpu() - mainBefore;
    const seconds = (performance.now() - started) / 1_000;
    const postgresAfter = await backendCpu(store);
    delay.disable();
    if (session && profile) {
      writeFileSync(profile, JSON.stringify((await session.post('Profiler.stop')).profile));
      session.disconnect();
    }
    await notifier.stop();
    const deliveries = (await receiver.take()).length;
    if (!complete || deliveries !== webhooks * news) throw new Error(`${deliveries} of ${webhooks * news} deliveries arrived`);
    const postgres = [...postgresAfter].reduce((sum, [pid, cpu]) => sum + cpu - (postgresBefore.get(pid) ?? 0), 0);
    return {
      deliveries,
      seconds,
      process: (processCpu.user + processCpu.system) / deliveries,
      mainThread: mainCpu / deliveries,
      postgres: postgres / deliveries,
      delayMax: delay.max / 1e6,
      delayP99: delay.percentile(99) / 1e6,
    };
  } finally {
    await receiver.close();
    await store.close();
    await database.cleanup();
  }
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};
const figure = (value: number, digits = 0) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const describe = (run: Run) =>
  values.delay
    ? `loop delay max ${figure(run.delayMax, 1)} ms, p99 ${figure(run.delayP99, 2)} ms`
    : `CPU µs per delivery: process ${figure(run.process)}, main thread ${figure(run.mainThread)}${dialect === 'postgres' ? `, PostgreSQL ${figure(run.postgres)}` : ''}`;

const cleanups = new Cleanups();
cleanups.onSignals((line) => console.error(line));
for (let index = 0; index < Number(values['warm-up']); index++) await measure(cleanups, undefined);
const runs: Run[] = [];
for (let index = 0; index < Number(values.runs); index++) {
  const run = await measure(cleanups, index === Number(values.runs) - 1 ? values.profile : undefined);
  runs.push(run);
  console.log(`run ${index + 1}: ${run.deliveries} deliveries in ${run.seconds.toFixed(1)} s; ${describe(run)}`);
}
const medianRun: Run = {
  deliveries: webhooks * news,
  seconds: median(runs.map((run) => run.seconds)),
  process: median(runs.map((run) => run.process)),
  mainThread: median(runs.map((run) => run.mainThread)),
  postgres: median(runs.map((run) => run.postgres)),
  delayMax: median(runs.map((run) => run.delayMax)),
  delayP99: median(runs.map((run) => run.delayP99)),
};
console.log(`${dialect}, ${webhooks} webhooks × ${news} maintenances, median of ${runs.length} runs: ${describe(medianRun)}`);
