import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';

/** API v1 dates: "YYYY-MM-DD HH:MM", UTC, no zone marker (reference v1 §2.1). */
export function formatApiDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

// Serialised events are kept per event object: a refreshed event is a new object.
const incidentJsonCache = new WeakMap<StatusEvent, string>();

/** The v1 IncidentSchema, keys sorted as the reference sends them; updates newest first. */
export function incidentJson(event: StatusEvent): string {
  let json = incidentJsonCache.get(event);
  if (json === undefined) {
    json = JSON.stringify({
      end_date: event.endAt === null ? null : formatApiDate(event.endAt),
      id: event.id,
      impact: event.impact,
      start_date: formatApiDate(event.startAt),
      text: event.title,
      updates: event.updates.map((update) => ({ status: update.status, text: update.text, timestamp: formatApiDate(update.at) })),
    });
    incidentJsonCache.set(event, json);
  }
  return json;
}

const componentJsonCache = new WeakMap<Component, { stamp: number; json: string }>();

/**
 * The v1 component: attributes in catalog order and every event it was ever part of. Cached per
 * component until `stamp` changes, so a write re-renders only the components it touched.
 */
export function componentJson(component: Component, stamp: number, events: () => readonly StatusEvent[]): string {
  const cached = componentJsonCache.get(component);
  if (cached?.stamp === stamp) return cached.json;
  const attributes = JSON.stringify(component.attributes.map(({ name, value }) => ({ name, value })));
  const json = `{"attributes":${attributes},"id":${component.id},"incidents":[${events().map(incidentJson).join(',')}],"name":${JSON.stringify(component.name)}}`;
  componentJsonCache.set(component, { stamp, json });
  return json;
}
