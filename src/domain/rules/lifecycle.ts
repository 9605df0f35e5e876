import type { StatusEvent } from '../event.js';
import { PENDING_REVIEW, REVIEWED } from '../event-status.js';

/** Timeline entries a maintenance or notice gets as its window starts and ends (reference v3 §1.3, §3.9). */
const STEPS = {
  maintenance: [
    { status: 'in progress', text: 'Maintenance is in progress.', when: 'start' },
    { status: 'completed', text: 'Maintenance is completed.', when: 'end' },
  ],
  info: [
    { status: 'active', text: 'The informational notification is active.', when: 'start' },
    { status: 'completed', text: 'The informational notification is completed.', when: 'end' },
  ],
} as const;

/** The entry of an approved maintenance that the lifecycle plans (the Go back end's checker, FR-023). */
export const PLANNED_AFTER_REVIEW = { status: 'planned', text: 'Maintenance is approved and planned.' } as const;

export interface LifecycleEntry {
  status: string;
  text: string;
  at: number;
}

/** What the lifecycle writes for an event at `now`: a new status, if any, and timeline entries. */
export interface LifecycleChange {
  status?: string;
  entries: LifecycleEntry[];
}

/**
 * What a maintenance or notice is missing at `now`: an approved (`reviewed`) maintenance becomes
 * `planned`, then "in progress" (or "active") once its window has started and "completed" once
 * it has ended, each stamped with the moment it happened and written once. Incidents, cancelled
 * events and proposals waiting for review get nothing: nobody approved their window.
 */
export function lifecycleChange(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt' | 'updates'>, now: number): LifecycleChange | undefined {
  if (event.type === 'incident' || event.status === 'cancelled' || event.status === PENDING_REVIEW) return undefined;
  const written = new Set(event.updates.map((update) => update.status));
  const change: LifecycleChange = { entries: [] };
  if (event.status === REVIEWED) {
    change.status = PLANNED_AFTER_REVIEW.status;
    change.entries.push({ ...PLANNED_AFTER_REVIEW, at: now });
  }
  for (const step of STEPS[event.type]) {
    const at = step.when === 'start' ? event.startAt : event.endAt;
    if (at !== null && at <= now && !written.has(step.status)) change.entries.push({ status: step.status, text: step.text, at });
  }
  return change.entries.length > 0 ? change : undefined;
}
