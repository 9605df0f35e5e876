import { attributeValue } from './component.js';
import type { StatusEvent } from './event.js';
import { impactKey } from './impact.js';
import { STATE_LABELS, stateOf, type StatusOverview } from './status-overview.js';

/**
 * What the embeddable banner (public/banner.js) says: whether the cloud, or one region, has an
 * active incident or maintenance (notices only inform, and never raise it), and the most severe
 * one. Unlike a component's state, where a maintenance wins, an incident outranks any maintenance
 * here (it is what a visitor of another site needs to hear of), the higher impact first, then the
 * earliest started.
 */
export interface Banner {
  /** the region asked for; undefined: the whole cloud */
  region?: string | undefined;
  /** active incidents and maintenances in scope, most severe first */
  events: StatusEvent[];
}

export function bannerOf(overview: StatusOverview, region?: string): Banner {
  const inScope = (event: StatusEvent) =>
    region === undefined ||
    event.componentIds.some((id) => {
      const component = overview.components.get(id)?.component;
      return component !== undefined && attributeValue(component, 'region') === region;
    });
  const active = [...overview.incidents, ...overview.maintenances.filter((event) => event.type === 'maintenance')].filter(inScope);
  return { region, events: active.sort((a, b) => severity(b) - severity(a) || a.startAt - b.startAt || a.id - b.id) };
}

function severity(event: StatusEvent): number {
  return event.type === 'incident' ? event.impact : 0;
}

/** The banner's JSON (docs/banner.md); `base` starts every link. */
export function bannerJson(banner: Banner, base: string) {
  const [worst] = banner.events;
  return {
    region: banner.region ?? null,
    active: worst !== undefined,
    count: banner.events.length,
    event: worst === undefined ? null : { id: worst.id, title: worst.title, type: worst.type, impact: impactKey(worst.impact), label: STATE_LABELS[stateOf(worst)], url: `${base}/incidents/${worst.id}` },
    status_url: banner.region === undefined ? `${base}/` : `${base}/?region=${encodeURIComponent(banner.region)}`,
  };
}
