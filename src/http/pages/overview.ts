import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { statusOverview, type StatusOverview } from '../../domain/status-overview.js';
import { uptimeBar, type UptimeBar } from '../../domain/uptime.js';
import type { ReadModel } from '../../read-model/read-model.js';

/** The current overview, built once per version and again only when an event starts or ends. */
export function currentOverview(model: ReadModel, now: number): StatusOverview {
  return model.memoizeUntil('overview', now, () => {
    const overview = statusOverview(model.components.values(), model.currentEvents(now), now);
    return { value: overview, validUntil: overview.validUntil };
  });
}

export function componentsOf(model: ReadModel, event: StatusEvent): Component[] {
  return event.componentIds.map((id) => model.components.get(id)).filter((component): component is Component => component !== undefined);
}

/**
 * A component's 90-day bar, computed once per version and again only when it changes by itself
 * (a new UTC day, an event starting or ending, an open outage's next minute): never per request.
 */
export function uptimeBarOf(model: ReadModel, componentId: number, now: number): UptimeBar {
  return model.memoizeUntil(`uptime:${componentId}`, now, () => {
    const bar = uptimeBar(model.eventsOf(componentId), model.componentCreatedAt.get(componentId) ?? Number.NEGATIVE_INFINITY, now);
    return { value: bar, validUntil: bar.validUntil };
  });
}
