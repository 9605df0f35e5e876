import { attributeValue, type Component } from './component.js';
import type { StatusEvent } from './event.js';
import { compareNewestFirst } from './event-filter.js';

/** Which part of the cloud a feed follows; every given criterion must hold. */
export interface FeedFilter {
  region?: string | undefined;
  category?: string | undefined;
  /** component name */
  component?: string | undefined;
}

export function matchesFeedFilter(component: Component, filter: FeedFilter): boolean {
  return (
    (filter.region === undefined || attributeValue(component, 'region') === filter.region) &&
    (filter.category === undefined || attributeValue(component, 'category') === filter.category) &&
    (filter.component === undefined || component.name === filter.component)
  );
}

/**
 * The newest events (by start, then id) touching any of the components: incidents,
 * maintenances and notices, open or closed. Newest start first, not link order (reference B8).
 */
export function newestEventsOf(componentIds: Iterable<number>, eventsOf: (componentId: number) => readonly StatusEvent[], limit: number): StatusEvent[] {
  const events = new Map<number, StatusEvent>();
  for (const id of componentIds) for (const event of eventsOf(id)) events.set(event.id, event);
  return [...events.values()].sort(compareNewestFirst).slice(0, limit);
}
