import type { StatusEvent } from '../event.js';

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

export interface LifecycleEntry {
  status: string;
  text: string;
  at: number;
}

/**
 * The entries a maintenance or notice is missing at `now`: "in progress" (or "active") once its
 * window has started, "completed" once it has ended, each stamped with the moment it happened and
 * written once. Cancelled events and incidents get none.
 */
export function missingLifecycleEntries(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt' | 'updates'>, now: number): LifecycleEntry[] {
  if (event.type === 'incident' || event.status === 'cancelled') return [];
  const written = new Set(event.updates.map((update) => update.status));
  const missing: LifecycleEntry[] = [];
  for (const step of STEPS[event.type]) {
    const at = step.when === 'start' ? event.startAt : event.endAt;
    if (at !== null && at <= now && !written.has(step.status)) missing.push({ status: step.status, text: step.text, at });
  }
  return missing;
}
