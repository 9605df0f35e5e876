import type { StatusEvent } from '../domain/event.js';
import { decideStatusReport, reportOf, V1_POLICY, type StatusReportInput, type StatusReportOutcome } from '../domain/rules/status-report.js';
import type { ReadFreshness, ReadModel } from '../read-model/read-model.js';
import { recordStatusReport } from '../storage/status-reports.js';
import type { Store } from '../storage/store.js';

/**
 * Handles a monitoring report (API v1 and v2 `system: true`), deciding it twice by the same rules
 * (domain/rules/status-report.ts):
 * - The preview decides on the read model, without the write lock. Most reports repeat what is
 *   already known (409) or hit a maintenance, and the read model holds every write committed
 *   before the report arrived, so those answers are exact and cost no lock: that is why it exists
 *   (a whole-cloud outage is thousands of reports a minute, nearly all repeats).
 * - A report that would change something is decided again under the write lock, at the time the
 *   lock is held, against the database (storage/status-reports.ts). That decision is the one that
 *   counts: it is what is written, and it may differ from the preview (another instance changed
 *   something meanwhile).
 * A preview from a model the database could not confirm is not trusted at all (it may miss what
 * other instances did); the write path then answers, and fails at once while the database is away.
 */
export async function reportStatus(
  store: Store,
  readModel: ReadModel,
  input: StatusReportInput,
  clock: () => number,
  actor: string,
): Promise<StatusReportOutcome<StatusEvent>> {
  const freshness: ReadFreshness = {};
  const model = await readModel.fresh(freshness);
  if (freshness.staleAsOf === undefined) {
    const now = clock();
    const wanted = input.component;
    const component = 'id' in wanted ? model.components.get(wanted.id) : model.findComponent(wanted.name, wanted.attributes);
    if (!component) return { outcome: 'unknown-component' };
    const preview = decideStatusReport(model.activeEvents(now), reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (preview.outcome === 'conflict') return preview;
    if (preview.outcome === 'shielded') return { outcome: 'shielded', event: model.savedEvent(preview.eventId) };
  }

  const recorded = await recordStatusReport(store, input, clock, actor);
  if (recorded.outcome === 'unknown-component' || recorded.outcome === 'conflict') return recorded;
  const event = (await readModel.fresh()).savedEvent(recorded.event.id);
  return recorded.outcome === 'shielded' ? { outcome: 'shielded', event } : { outcome: 'changed', event, change: recorded.change };
}
