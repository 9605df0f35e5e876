import type { IncidentImpact } from '../domain/impact.js';
import {
  decideStatusReport,
  V1_POLICY,
  type ReportPolicy,
} from '../domain/rules/status-report.js';
import { applyChanges } from './apply-changes.js';
import type { Component } from '../domain/component.js';
import { findComponent, findComponentById } from './components.js';
import { loadEventViewsActiveAt } from './events.js';
import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

export interface StatusReportInput {
  /** the component: by id (API v2) or by name and attribute subset (API v1, §2.6) */
  component: { id: number } | { name: string; attributes: ReadonlyMap<string, string> };
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

/**
 * Records one monitoring report: finds the component, lets the rules decide, and applies the
 * decision, all in one write transaction so that concurrent reports see each other's results.
 * The answer names the event; callers read it from the read model, outside the write lock.
 */
export async function recordStatusReport(
  store: Store,
  input: StatusReportInput,
  now: number,
  actor: string,
): Promise<StatusReportResult> {
  return withWriteTransaction(store, async (context) => {
    const wanted = input.component;
    const component = 'id' in wanted ? await findComponentById(context.tx, wanted.id) : await findComponent(context.tx, wanted.name, wanted.attributes);
    if (!component) return { outcome: 'unknown-component' };
    const events = await loadEventViewsActiveAt(context.tx, now);
    const decision = decideStatusReport(events, reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (decision.outcome !== 'changed') return decision;
    return { outcome: 'changed', eventId: await applyChanges(context, decision, events, now, actor) };
  });
}
