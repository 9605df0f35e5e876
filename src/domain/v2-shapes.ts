import type { Component } from './component.js';
import type { StatusEvent } from './event.js';
import { currentStatus } from './event-status.js';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * The v2 event (reference v3 §3.1), keys in its order. Unlike the Go back end, `components`,
 * `updates` and `status` are always present: its React front end renders from them.
 * Updates come in the order they were written and their ids are positions in it, as v2 clients
 * expect (a back-dated entry keeps its place). `staff`: the caller has a role, and sees the
 * creator, the contact and the version too.
 */
export function eventV2(event: StatusEvent, now: number, staff = false) {
  return {
    id: event.id,
    title: event.title,
    ...(event.description ? { description: event.description } : {}),
    impact: event.impact,
    components: event.componentIds,
    start_date: iso(event.startAt),
    ...(event.endAt === null ? {} : { end_date: iso(event.endAt) }),
    system: event.system,
    type: event.type,
    updates: [...event.updates].sort((a, b) => a.id - b.id).map((update, index) => ({ id: index, status: update.status, text: update.text, timestamp: iso(update.at) })),
    status: currentStatus(event, now),
    ...(staff ? staffFields(event) : {}),
  };
}

/** What people with a role see beyond the public (issue 17): who opened it, whom to ask, its version. */
function staffFields(event: StatusEvent) {
  return {
    ...(event.creator === null ? {} : { creator: event.creator }),
    ...(event.contactEmail === null ? {} : { contact_email: event.contactEmail }),
    version: event.version,
  };
}

export function componentV2(component: Component) {
  return {
    id: component.id,
    name: component.name,
    ...(component.attributes.length > 0 ? { attributes: component.attributes.map(({ name, value }) => ({ name, value })) } : {}),
  };
}
