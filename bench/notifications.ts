/**
 * The notifications scenario (issue 18): webhooks pointing at a local receiver (bench/receiver.ts,
 * a process of its own), a notifier in the server's process started as src/runtime/server.ts
 * starts it, and three measurements: how many deliveries per second a burst of news makes, how
 * long a report that opens an incident takes to reach a webhook, and whether the monitoring posts
 * stay as fast while notifications flow.
 */
import { sql } from 'kysely';
import { signApiToken } from '../src/auth/api-tokens.js';
import { subscriptionLinkKey } from '../src/auth/subscription-links.js';
import { DEFAULT_REMINDER_LEADS } from '../src/domain/notifications/announcements.js';
import { WHOLE_CLOUD } from '../src/domain/notifications/scope.js';
import { startNotifier, type Notifier } from '../src/notify/notifier.js';
import { newWebhookSecret } from '../src/notify/webhook-client.js';
import { databaseOf } from '../src/storage/database-of.js';
import { deliveryCounts } from '../src/storage/deliveries.js';
import type { Dialect, Store } from '../src/storage/store.js';
import { addWebhook } from '../src/storage/webhooks.js';
import { sharedClock } from './clock.js';
import type { ScenarioContext } from './context.js';
import { resolveOpenIncidents, whileResolving } from './incidents.js';
import type { Measured } from './load-generator.js';
import type { LoadSpec } from './load.js';
import { mixBodies, postLoad, postMixes, type PostMix } from './posts.js';
import type { Arrival } from './receiver.js';
import { NOTIFIER } from './notifier-settings.js';
import { describeBurst, describeNotifiedPosts, fmt, GOALS } from './report.js';
import { BENCH_PAYLOAD_KEY, startOurServer, type RunningServer } from './server.js';
import { WebhookReceiver } from './webhook-receiver.js';

const DAY = 24 * 60 * 60_000;
/** POST /v2/events in flight at once while the burst's maintenances are created */
const CREATING_CONCURRENCY = 8;
/** how long to wait for the deliveries still on their way: this, and a little per delivery */
const DRAIN_MS = 30_000;
const DRAIN_MS_PER_DELIVERY = 20;

/** What every step of the scenario works with. */
interface Setting {
  store: Store;
  dialect: Dialect;
  history: number;
  ours: RunningServer;
  receiver: WebhookReceiver;
  token: string;
  context: ScenarioContext;
}

/** The burst, then every post mix in turn without and with notifications, on the longest history; `tmp` holds the bodies. */
export async function notificationScenarios(store: Store, dialect: Dialect, history: number, tmp: string, context: ScenarioContext): Promise<void> {
  const { options } = context;
  const ours = await startOurServer(store, context.secretKey, { timeAnswers: true });
  let receiver: WebhookReceiver | undefined;
  try {
    receiver = await WebhookReceiver.start(context.cleanups);
    const token = await signApiToken({ secretKey: context.secretKey, payloadKey: BENCH_PAYLOAD_KEY }, { subject: 'bench-notifications' });
    const now = Date.now();
    for (let hook = 0; hook < options.webhooks; hook++) {
      await addWebhook(store, { url: `${receiver.url}/hook/${hook}`, format: 'json', secret: newWebhookSecret(), scope: WHOLE_CLOUD }, now, 'bench:notifications');
    }
    const setting: Setting = { store, dialect, history, ours, receiver, token, context };
    await burst(setting);
    for (const mix of postMixes(options.failing)) await notifiedPosts(setting, mix, mixBodies(tmp, dialect, mix));
    const counts = await deliveryCounts(store);
    const finding =
      `notifications (${dialect}): ${fmt(counts.sent)} deliveries sent, ${fmt(counts.failed)} given up, ` +
      `${fmt(counts.pending + counts.sending)} left waiting at the end (later changes of the incidents, coalesced: due ${fmt(NOTIFIER.coalesceMs / 1000)} s after the first message)`;
    context.log(`  ${finding}`);
    context.part.findings.push(finding);
  } finally {
    await receiver?.close();
    await ours.close();
  }
}

function startBenchNotifier({ store, ours, context }: Setting): Notifier {
  const say = (level: string) => (details: object, message: string) => {
    const err = (details as { err?: unknown }).err;
    const line = `notifier ${level}: ${message}${err instanceof Error ? `: ${err.message}` : ''}`;
    context.log(`  ${line}`);
    context.part.findings.push(line);
  };
  return startNotifier(
    { store, readModel: ours.readModel, clock: () => Date.now(), log: { info: () => undefined, warn: say('warning'), error: say('error') } },
    { ...NOTIFIER, publicUrl: ours.url, site: 'Status Dashboard', linkKey: subscriptionLinkKey(context.secretKey), mailer: undefined, reminderLeads: DEFAULT_REMINDER_LEADS },
  );
}

/**
 * As if a notifier had kept up until now: what was written without one running (the seeded
 * history, the runs without notifications) is nobody's news. A deployment starts the same way:
 * its migration sets the cursor to the version of the day.
 */
async function nothingNewUntilNow(store: Store): Promise<void> {
  await sql`update notification_cursor set version = (select version from state where id = 1) where id = 1`.execute(databaseOf(store));
}

/** Starts a notifier with nothing to catch up on, runs `work`, and stops it; the receiver's arrivals are this run's. */
async function withNotifier<T>(setting: Setting, work: () => Promise<T>): Promise<{ result: T; arrivals: Arrival[] }> {
  await nothingNewUntilNow(setting.store);
  await setting.receiver.take();
  const notifier = startBenchNotifier(setting);
  let result: T;
  try {
    result = await work();
  } finally {
    await notifier.stop();
  }
  return { result, arrivals: await setting.receiver.take() };
}

/**
 * Throughput: maintenances created at once through POST /v2/events, each news for every webhook
 * (whole-cloud scope), until every webhook has every one of them (or the wait runs out).
 */
async function burst(setting: Setting): Promise<void> {
  const { store, ours, receiver, token, context } = setting;
  const { webhooks, notifyEvents } = context.options;
  await resolveOpenIncidents(store);
  const failedBefore = (await deliveryCounts(store)).failed;
  const componentIds = [...ours.readModel.components.keys()].sort((a, b) => a - b);
  const cpuBefore = process.cpuUsage();
  const { result, arrivals } = await withNotifier(setting, async () => {
    const started = sharedClock();
    const created = await createMaintenances(ours.url, token, componentIds, notifyEvents);
    const creatingMs = sharedClock() - started;
    await receiver.awaitEvents(
      created.map((event) => event.id),
      webhooks,
      DRAIN_MS + webhooks * notifyEvents * DRAIN_MS_PER_DELIVERY,
    );
    return { created, creatingMs, cpu: process.cpuUsage(cpuBefore) };
  });
  const { line, row } = describeBurst({
    database: setting.dialect,
    history: setting.history,
    webhooks,
    created: result.created,
    creatingMs: result.creatingMs,
    arrivals,
    failed: (await deliveryCounts(store)).failed - failedBefore,
    serverCpuMicros: result.cpu.user + result.cpu.system,
  });
  context.log(line);
  context.part.rows.push(row);
}

/** `count` maintenances a week ahead, one component each, a few requests at a time; each with when its answer came. */
async function createMaintenances(url: string, token: string, componentIds: readonly number[], count: number): Promise<{ id: number; at: number }[]> {
  const firstStart = Date.now() + 7 * DAY;
  const created: { id: number; at: number }[] = [];
  let next = 0;
  const create = async () => {
    for (let i = next++; i < count; i = next++) {
      const startAt = firstStart + i * 60 * 60_000;
      const response = await fetch(`${url}/v2/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'maintenance',
          title: `Bench maintenance ${i + 1}`,
          description: 'Planned by the bench.',
          impact: 0,
          components: [componentIds[i % componentIds.length]],
          start_date: new Date(startAt).toISOString(),
          end_date: new Date(startAt + 30 * 60_000).toISOString(),
        }),
      });
      const at = sharedClock();
      const body = (await response.json()) as { result?: { incident_id?: number }[] };
      const id = body.result?.[0]?.incident_id;
      if (response.status !== 200 || id === undefined) throw new Error(`POST /v2/events: ${response.status} ${JSON.stringify(body)}`);
      created.push({ id, at });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CREATING_CONCURRENCY, count) }, create));
  return created;
}

/**
 * One mix paced at the goal rate, in rounds whose order turns round (ABBA): without a notifier,
 * as the posts scenario runs, and with one delivering to the webhooks; after each run with it, the
 * wait until every incident its reports opened has reached every webhook.
 */
async function notifiedPosts(setting: Setting, mix: PostMix, bodiesFile: string): Promise<void> {
  const { store, ours, receiver, token, context } = setting;
  const { options, generator } = context;
  const goal = GOALS.posts[setting.dialect];
  const spec: LoadSpec = { ...postLoad(ours.url, token, options, bodiesFile, goal), collect: true };
  const without: Measured[] = [];
  const notified: Measured[] = [];
  const arrivals: Arrival[][] = [];
  for (let round = 0; round < options.notifyRounds; round++) {
    for (const withWebhooks of round % 2 === 0 ? [false, true] : [true, false]) {
      await resolveOpenIncidents(store);
      const post = () => whileResolving(store, options.resolveEvery, () => generator.run(spec, { loopDelay: true, ...(ours.answerTimes && { answerTimes: ours.answerTimes }) }));
      if (!withWebhooks) {
        const { result: measured } = await post();
        without.push(measured);
        context.log(`  round ${round + 1}, ${mix.name}, without notifications: p99 ${fmt(measured.load.latency.p99, 1)} ms`);
        continue;
      }
      const started = sharedClock();
      const run = await withNotifier(setting, async () => {
        const { result: measured } = await post();
        const opened = (measured.load.opened ?? []).map((event) => event.id);
        const complete = await receiver.awaitEvents(opened, options.webhooks, DRAIN_MS + opened.length * options.webhooks * DRAIN_MS_PER_DELIVERY);
        return { measured, opened: opened.length, complete };
      });
      notified.push(run.result.measured);
      arrivals.push(run.arrivals);
      context.log(
        `  round ${round + 1}, ${mix.name}, ${options.webhooks} webhooks: p99 ${fmt(run.result.measured.load.latency.p99, 1)} ms, ` +
          `${run.result.opened} incidents opened, ${fmt(run.arrivals.length)} deliveries, ` +
          `${run.result.complete ? 'all at every webhook' : 'NOT all at every webhook'} ${fmt((sharedClock() - started) / 1000, 1)} s after the notifier started`,
      );
    }
  }
  const { lines, rows } = describeNotifiedPosts({
    database: setting.dialect,
    history: setting.history,
    mix: mix.name,
    goal,
    webhooks: options.webhooks,
    without,
    with: notified,
    arrivals,
  });
  for (const line of lines) context.log(line);
  context.part.rows.push(...rows);
}
