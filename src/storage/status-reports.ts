import { decideStatusReport, reportChangeOf, reportOf, V1_POLICY, type StatusReportInput, type StatusReportOutcome } from '../domain/rules/status-report.js';
import { PendingWrites, stageChanges } from './apply-changes.js';
import { findReportedComponents } from './components.js';
import { loadEventViewsActiveAt } from './events.js';
import type { Store } from './store.js';
import { batchedWrites, type WriteContext } from './write-transaction.js';

/** What storage answers: the event by its id; the service reads the event itself back. */
export type RecordedReport = StatusReportOutcome<{ id: number }>;

interface QueuedReport {
  input: StatusReportInput;
  /** read once the write lock is held: a report is decided at the time it is applied, not the time it arrived */
  clock: () => number;
  actor: string;
}

/**
 * Records one monitoring report: the decision that counts (services/report-status.ts explains
 * the preview before it). The report joins the reports queued for the write lock and is decided
 * with them by decideReportBatch.
 */
export function recordStatusReport(store: Store, input: StatusReportInput, clock: () => number, actor: string): Promise<RecordedReport> {
  return recordInBatch(store, { input, clock, actor });
}

/**
 * Decides a batch of reports under the write lock, in arrival order, each against the events as
 * the ones before it left them, all at one moment taken under the lock: a report decided with the
 * time it arrived could miss an incident that another instance opened a moment later but
 * committed first (it starts after that time), and open a second one (issue 15, finding 3).
 * Timeline entries, revisions and audit rows of the whole batch are written together at the end
 * (PendingWrites).
 */
async function decideReportBatch(context: WriteContext, reports: readonly QueuedReport[]): Promise<RecordedReport[]> {
  const now = await context.now(() => Math.max(...reports.map((report) => report.clock())));
  const components = await findReportedComponents(context.tx, reports.map((report) => report.input.component));
  let events = await loadEventViewsActiveAt(context.tx, now);
  const pending = new PendingWrites();
  const results: RecordedReport[] = [];
  for (const [i, { input, actor }] of reports.entries()) {
    const component = components[i];
    if (!component) {
      results.push({ outcome: 'unknown-component' });
      continue;
    }
    const decision = decideStatusReport(events, reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (decision.outcome === 'conflict') {
      results.push(decision);
      continue;
    }
    if (decision.outcome === 'shielded') {
      results.push({ outcome: 'shielded', event: { id: decision.eventId } });
      continue;
    }
    const applied = await stageChanges(context, pending, decision, events, now, actor);
    results.push({ outcome: 'changed', event: { id: applied.eventId }, change: reportChangeOf(decision) });
    // The next report decides against the events as this one left them.
    const touched = new Set(applied.touched.map((event) => event.id));
    events = [...events.filter((event) => !touched.has(event.id)), ...applied.touched].sort((a, b) => a.id - b.id);
  }
  await pending.write(context);
  return results;
}

/**
 * Reports that arrive while another change holds the lock share the next transaction
 * (batchedWrites): during a burst, a queue of transactions becomes a few.
 */
const recordInBatch = batchedWrites(decideReportBatch);
