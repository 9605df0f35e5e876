import { attributeValue, type Component } from './component.js';
import { isActive, nextStartOrEnd, type StatusEvent } from './event.js';
import { currentStatus } from './event-status.js';
import { compareNewestFirst } from './event-filter.js';

/** What a component, a region or the whole cloud looks like right now, mildest first. */
export const STATES = ['operational', 'maintenance', 'minor', 'major', 'outage'] as const;
export type State = (typeof STATES)[number];

export const STATE_LABELS: Record<State, string> = {
  operational: 'Operational',
  maintenance: 'Maintenance',
  minor: 'Minor issue',
  major: 'Major issue',
  outage: 'Outage',
};

export function worstState(states: Iterable<State>): State {
  let worst: State = 'operational';
  for (const state of states) if (STATES.indexOf(state) > STATES.indexOf(worst)) worst = state;
  return worst;
}

export interface ComponentStatus {
  component: Component;
  state: State;
  /** the event that decides the state (reference v1 §4.2's "prioritized" incident) */
  cause?: StatusEvent | undefined;
  /** the next planned maintenance of the component, if any */
  planned?: StatusEvent | undefined;
}

export interface CategoryOverview {
  name: string;
  components: ComponentStatus[];
}

export interface RegionOverview {
  name: string;
  state: State;
  categories: CategoryOverview[];
}

export interface StatusOverview {
  state: State;
  regions: RegionOverview[];
  /** every component, listed or not (badges ask for any of them) */
  components: Map<number, ComponentStatus>;
  /** active incidents, newest start first */
  incidents: StatusEvent[];
  /** maintenances in progress and active notices, newest start first */
  maintenances: StatusEvent[];
  /** maintenances and notices yet to start, soonest first */
  planned: StatusEvent[];
  /** the first instant at which an event starts or ends, so the overview changes by itself */
  validUntil: number;
}

/** A maintenance or notice that still counts: not cancelled. */
function isLive(event: StatusEvent, now: number): boolean {
  return event.type === 'incident' || currentStatus(event, now) !== 'cancelled';
}

/**
 * The front page's answer (reference v1 §4.2, spec §4): each component's state from its active
 * events (a maintenance in progress wins, otherwise the highest impact, the earliest-started
 * among equals; notices inform and never change a state), grouped by the sorted regions and
 * categories. Components without both a region and a category are not listed (as in the
 * reference) but still count for the overall state.
 *
 * `current` are the events that have not ended at `now` (active or planned).
 */
export function statusOverview(components: Iterable<Component>, current: readonly StatusEvent[], now: number): StatusOverview {
  const live = current.filter((event) => isLive(event, now) && (event.endAt === null || event.endAt > now));
  const active = live.filter((event) => isActive(event, now));
  const planned = live.filter((event) => event.type !== 'incident' && event.startAt > now).sort((a, b) => a.startAt - b.startAt || a.id - b.id);

  const causes = new Map<number, StatusEvent>();
  const byStart = [...active].sort((a, b) => a.startAt - b.startAt || a.id - b.id);
  for (const event of byStart) {
    if (event.type === 'info') continue;
    for (const id of event.componentIds) {
      const known = causes.get(id);
      if (!known || rank(event) > rank(known)) causes.set(id, event);
    }
  }
  const nextPlanned = new Map<number, StatusEvent>();
  for (const event of planned) {
    if (event.type !== 'maintenance') continue;
    for (const id of event.componentIds) if (!nextPlanned.has(id)) nextPlanned.set(id, event);
  }

  const statuses = new Map<number, ComponentStatus>();
  const regions = new Map<string, Map<string, ComponentStatus[]>>();
  for (const component of components) {
    const cause = causes.get(component.id);
    const status: ComponentStatus = { component, state: cause ? stateOf(cause) : 'operational', cause, planned: nextPlanned.get(component.id) };
    statuses.set(component.id, status);
    const region = attributeValue(component, 'region');
    const category = attributeValue(component, 'category');
    if (region === undefined || category === undefined) continue;
    const categories = regions.get(region) ?? new Map<string, ComponentStatus[]>();
    categories.set(category, [...(categories.get(category) ?? []), status]);
    regions.set(region, categories);
  }

  const regionList = [...regions.keys()].sort(compareText).map((name): RegionOverview => {
    const categories = regions.get(name) ?? new Map<string, ComponentStatus[]>();
    const categoryList = [...categories.keys()].sort(compareText).map((category) => ({
      name: category,
      components: (categories.get(category) ?? []).sort((a, b) => compareText(a.component.name, b.component.name) || a.component.id - b.component.id),
    }));
    return { name, state: worstState(categoryList.flatMap((category) => category.components.map((status) => status.state))), categories: categoryList };
  });

  return {
    state: worstState([...statuses.values()].map((status) => status.state)),
    regions: regionList,
    components: statuses,
    incidents: active.filter((event) => event.type === 'incident').sort(compareNewestFirst),
    maintenances: active.filter((event) => event.type !== 'incident').sort(compareNewestFirst),
    planned,
    validUntil: nextStartOrEnd(live, now),
  };
}

/** Maintenance outranks every incident; then the higher impact; among equals the one seen first. */
function rank(event: StatusEvent): number {
  return event.type === 'maintenance' ? 4 : event.impact;
}

export function stateOf(event: Pick<StatusEvent, 'type' | 'impact'>): State {
  if (event.type !== 'incident') return event.type === 'maintenance' ? 'maintenance' : 'operational';
  return event.impact === 3 ? 'outage' : event.impact === 2 ? 'major' : 'minor';
}

/** Regions that are not operational, worst first, then by name: the headline's list. */
export function affectedRegions(overview: StatusOverview): RegionOverview[] {
  return overview.regions
    .filter((region) => region.state !== 'operational')
    .sort((a, b) => STATES.indexOf(b.state) - STATES.indexOf(a.state) || compareText(a.name, b.name));
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
