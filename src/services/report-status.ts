import type { StatusEvent } from '../domain/event.js';
import { decideStatusReport, V1_POLICY } from '../domain/rules/status-report.js';
import type { ReadFreshness, ReadModel } from '../read-model/read-model.js';
import { recordStatusReport, reportOf, type StatusReportInput, type StatusReportResult } from '../storage/status-reports.js';
import type { Store } from '../storage/store.js';

/** As storage answers, but with the event itself where storage names it. */
export type ReportStatusResult =
  | Exclude<StatusReportResult, { outcome: 'shielded' | 'changed' }>
  | { outcome: 'shielded' | 'changed'; event: StatusEvent };

/**
 * Handles a monitoring report. Most reports repeat what is already known (409) or hit a
 * maintenance: the rules decide those from the read model, which holds every write committed
 * before the report arrived, so the answer is exact without taking the write lock. A report that
 * changes something is decided again, under the lock and at the time the lock is held, by the
 * same rules: that decision is the one that counts.
 */
export async function reportStatus(
  store: Store,
  readModel: ReadModel,
  input: StatusReportInput,
  clock: () => number,
  actor: string,
): Promise<ReportStatusResult> {
  const freshness: ReadFreshness = {};
  const model = await readModel.fresh(freshness);
  // A model the database could not confirm may miss what other instances did: then only the
  // write path answers (and it fails at once while the database is away).
  if (freshness.staleAsOf === undefined) {
    const now = clock();
    const wanted = input.component;
    const component = 'id' in wanted ? model.components.get(wanted.id) : model.findComponent(wanted.name, wanted.attributes);
    if (!component) return { outcome: 'unknown-component' };
    const preview = decideStatusReport(model.activeEvents(now), reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (preview.outcome === 'conflict') return preview;
    if (preview.outcome === 'shielded') return { outcome: 'shielded', event: model.savedEvent(preview.eventId) };
  }

  const result = await recordStatusReport(store, input, clock, actor);
  if (result.outcome === 'unknown-component' || result.outcome === 'conflict') return result;
  return { outcome: result.outcome, event: (await readModel.fresh()).savedEvent(result.eventId) };
}
