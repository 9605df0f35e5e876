import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { impactKey, isIncidentImpact, type IncidentImpact } from '../domain/impact.js';
import type { ReportChange, StatusReportOutcome } from '../domain/rules/status-report.js';
import type { DeliveryObserver } from '../notify/notifier.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { FailureKind } from '../storage/failures.js';
import type { StorageObserver } from '../storage/observer.js';
import type { Store } from '../storage/store.js';

/**
 * What a monitoring report came to: the branches of the rules (domain/rules/status-report.ts) for
 * a report that changed something, `conflict` (409: an incident already holds the component at
 * that impact or higher), `shielded` (a maintenance covers it), `refused` (no such component, or
 * an impact monitoring may not report) and `unavailable` (503: the database could not take it).
 */
export type ReportOutcome = ReportChange | 'conflict' | 'shielded' | 'refused' | 'unavailable';

const REPORT_OUTCOMES: readonly ReportOutcome[] = ['opened', 'joined', 'escalated', 'moved', 'conflict', 'shielded', 'refused', 'unavailable'];
const REPORT_APIS = ['v1', 'v2'] as const;
const FAILURE_KINDS: readonly FailureKind[] = ['unreachable', 'busy'];
const CHANNELS = ['email', 'webhook'] as const;
const INCIDENT_IMPACTS: readonly IncidentImpact[] = [1, 2, 3];
/** From half a millisecond (a cached read) to 10 s (a write waiting out its timeouts). */
const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The label of every request no route matched (404s): raw URLs would make a series per probe. */
export const UNMATCHED_ROUTE = 'unmatched';

export function reportOutcomeOf(result: StatusReportOutcome<{ id: number }>): ReportOutcome {
  switch (result.outcome) {
    case 'unknown-component':
      return 'refused';
    case 'changed':
      return result.change;
    default:
      return result.outcome;
  }
}

/** Times the requests of one route (its pattern, or UNMATCHED_ROUTE) by method and status code. */
export interface RouteTimer {
  observe(method: string, statusCode: number, seconds: number): void;
}

export interface MetricsSources {
  store: Store;
  readModel: ReadModel;
  clock: () => number;
}

/**
 * The instance's Prometheus metrics, in a registry of its own (one per app: the tests build many
 * in one process). The layers below know nothing of prom-client: storage, the read model and the
 * notifier tell observers (attached here to the store and the read model; the notifier is given
 * `notifications`), http times requests and counts reports, and the gauges are read from the read
 * model and the store's health when Prometheus scrapes.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'route' | 'method' | 'status_code'>;
  private readonly reports: Counter<'api' | 'outcome'>;
  private readonly lockWait: Histogram;
  private readonly batchItems: Histogram;
  private readonly readModelLoad: Histogram<'kind'>;
  private readonly databaseErrors: Counter<'kind' | 'operation'>;
  private readonly deliveries: Counter<'channel' | 'outcome'>;
  private readonly givenUp: Counter<'channel'>;

  constructor({ store, readModel, clock }: MetricsSources, { processMetrics = true } = {}) {
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'status_dashboard_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern (unmatched: no route), method and status code.',
      labelNames: ['route', 'method', 'status_code'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.reports = new Counter({
      name: 'status_dashboard_status_reports_total',
      help: 'Monitoring reports (POST /api/v1/component_status; API v2 system incidents, one per component) by API and outcome.',
      labelNames: ['api', 'outcome'],
      registers,
    });
    for (const api of REPORT_APIS) for (const outcome of REPORT_OUTCOMES) this.reports.inc({ api, outcome }, 0);
    new Gauge({
      name: 'status_dashboard_active_incidents',
      help: 'Incidents active now, by impact (the same on every instance: the shared state).',
      labelNames: ['impact'],
      registers,
      async collect() {
        const counts = new Map<IncidentImpact, number>(INCIDENT_IMPACTS.map((impact) => [impact, 0]));
        for (const event of (await readModel.fresh()).activeEvents(clock())) {
          if (event.type === 'incident' && isIncidentImpact(event.impact)) counts.set(event.impact, (counts.get(event.impact) ?? 0) + 1);
        }
        for (const [impact, count] of counts) this.set({ impact: impactKey(impact) }, count);
      },
    });
    this.lockWait = new Histogram({
      name: 'status_dashboard_write_lock_wait_seconds',
      help: 'Time a change waited for the write lock: the instance\'s queue, then the database\'s lock.',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.batchItems = new Histogram({
      name: 'status_dashboard_write_batch_items',
      help: 'Monitoring reports applied in one transaction (group commit).',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers,
    });
    this.readModelLoad = new Histogram({
      name: 'status_dashboard_read_model_load_seconds',
      help: 'Time the read model took to load what changed: the whole history at start (initial) or a catch-up.',
      labelNames: ['kind'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.databaseErrors = new Counter({
      name: 'status_dashboard_database_errors_total',
      help: 'Reads and writes the database failed: unreachable (no connection, no answer) or busy (lock or statement timeout, too many connections).',
      labelNames: ['kind', 'operation'],
      registers,
    });
    for (const kind of FAILURE_KINDS) for (const operation of ['read', 'write']) this.databaseErrors.inc({ kind, operation }, 0);
    new Gauge({
      name: 'status_dashboard_reads_stale',
      help: '1 while the database is away and reads answer from memory (marked stale), else 0.',
      registers,
      collect() {
        this.set(store.health.down ? 1 : 0);
      },
    });
    this.deliveries = new Counter({
      name: 'status_dashboard_notification_deliveries_total',
      help: 'Attempts to deliver a notification, by channel and outcome (sent, or failed: tried again later unless given up).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.givenUp = new Counter({
      name: 'status_dashboard_notification_deliveries_given_up_total',
      help: 'Notifications given up: failing for too long, or their webhook gone or disabled.',
      labelNames: ['channel'],
      registers,
    });
    for (const channel of CHANNELS) {
      for (const outcome of ['sent', 'failed']) this.deliveries.inc({ channel, outcome }, 0);
      this.givenUp.inc({ channel }, 0);
    }
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    // Before the read model's first load, which the server measures too.
    store.observer = this.storage;
    readModel.onLoaded = (seconds, initial) => this.readModelLoad.observe({ kind: initial ? 'initial' : 'catch_up' }, seconds);
  }

  /** What storage reports: lock waits, batch sizes, failures. */
  readonly storage: StorageObserver = {
    writeLockWaited: (seconds) => this.lockWait.observe(seconds),
    batchApplied: (items) => this.batchItems.observe(items),
    databaseFailed: (kind, operation) => this.databaseErrors.inc({ kind, operation }),
  };

  /** What the notifier reports: each attempt, each delivery given up. */
  readonly notifications: DeliveryObserver = {
    attempted: (channel, sent) => this.deliveries.inc({ channel, outcome: sent ? 'sent' : 'failed' }),
    gaveUp: (channel) => this.givenUp.inc({ channel }),
  };

  countReport(api: 'v1' | 'v2', outcome: ReportOutcome): void {
    this.reports.inc({ api, outcome });
  }

  /**
   * The timer of one route. Its histogram's series per method and status are looked up once and
   * kept, so that timing a request costs two map lookups and one observation: no labels object
   * or key string per request.
   */
  routeTimer(route: string): RouteTimer {
    const series = new Map<string, Map<number, { observe(seconds: number): void }>>();
    return {
      observe: (method, statusCode, seconds) => {
        let byStatus = series.get(method);
        if (!byStatus) series.set(method, (byStatus = new Map()));
        let timer = byStatus.get(statusCode);
        if (!timer) byStatus.set(statusCode, (timer = this.requests.labels(route, method, String(statusCode))));
        timer.observe(seconds);
      },
    };
  }

  /** The exposition: text format, as Prometheus scrapes it. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
