import type { IncidentImpact } from '../domain/impact.js';
import {
  decideStatusReport,
  V1_POLICY,
  type ReportPolicy,
} from '../domain/rules/status-report.js';
import { PendingWrites, stageChanges } from './apply-changes.js';
import type { Component } from '../domain/component.js';
import { findReportedComponents, type ComponentRef } from './components.js';
import { loadEventViewsActiveAt } from './events.js';
import type { Store } from './store.js';
import { batchedWrites } from './write-transaction.js';

export interface StatusReportInput {
  component: ComponentRef;
  impact: IncidentImpact;
  title?: string | undefined;
  description?: string | undefined;
  startAt?: number | undefined;
  /** v1 unless said otherwise */
  policy?: ReportPolicy;
}

/** What the rules get of an input, once its component is known. */
export function reportOf(input: StatusReportInput, component: Component) {
  return { component, impact: input.impact, title: input.title, description: input.description, startAt: input.startAt };
}

export type StatusReportResult =
  | { outcome: 'unknown-component' }
  | { outcome: 'conflict'; eventId: number; title: string; component: string }
  /** the event that now holds the component (or shields it); read it from the read model */
  | { outcome: 'shielded' | 'changed'; eventId: number };

interface QueuedReport {
  input: StatusReportInput;
  /** read once the write lock is held: a report is decided at the time it is applied, not the time it arrived */
  clock: () => number;
  actor: string;
}

/**
 * Records one monitoring report: finds the component, lets the rules decide, and applies the
 * decision in a write transaction, so that concurrent reports see each other's results. Reports
 * that arrive while another change holds the lock share the next transaction (batchedWrites),
 * each decided in turn against what the ones before it did; their timeline entries, revisions and
 * audit rows are written together at the end (PendingWrites). The answer names the event; callers
 * read it from the read model, outside the write lock.
 */
export function recordStatusReport(store: Store, input: StatusReportInput, clock: () => number, actor: string): Promise<StatusReportResult> {
  return recordInBatch(store, { input, clock, actor });
}

/**
 * One batch, decided at one moment taken under the lock: a report decided with the time it arrived
 * could miss an incident that another instance opened a moment later but committed first (it
 * starts after that time), and open a second one (issue 15, finding 3).
 */
const recordInBatch = batchedWrites<QueuedReport, StatusReportResult>(async (context, reports) => {
  const now = await context.now(() => Math.max(...reports.map((report) => report.clock())));
  const components = await findReportedComponents(context.tx, reports.map((report) => report.input.component));
  let events = await loadEventViewsActiveAt(context.tx, now);
  const pending = new PendingWrites();
  const results: StatusReportResult[] = [];
  for (const [i, { input, actor }] of reports.entries()) {
    const component = components[i];
    if (!component) {
      results.push({ outcome: 'unknown-component' });
      continue;
    }
    const decision = decideStatusReport(events, reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (decision.outcome !== 'changed') {
      results.push(decision);
      continue;
    }
    const applied = await stageChanges(context, pending, decision, events, now, actor);
    results.push({ outcome: 'changed', eventId: applied.eventId });
    // The next report decides against the events as this one left them.
    const touched = new Set(applied.touched.map((event) => event.id));
    events = [...events.filter((event) => !touched.has(event.id)), ...applied.touched].sort((a, b) => a.id - b.id);
  }
  await pending.write(context);
  return results;
});
