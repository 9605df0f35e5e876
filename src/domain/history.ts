import { attributeValue, type Component } from './component.js';
import type { StatusEvent } from './event.js';
import { matchesFeedFilter, type FeedFilter } from './feed-selection.js';
import { compareText } from './status-overview.js';

/** The filters of the history page: the feeds' region, category and component (name). */
export type HistoryFilter = FeedFilter;

export interface HistoryGroup {
  year: number;
  /** 1–12, UTC */
  month: number;
  events: StatusEvent[];
}

export interface HistorySelection {
  /** the page's events, grouped by the UTC month of their end, newest month first */
  groups: HistoryGroup[];
  /** events that match the filter, on every page */
  total: number;
  /** at least 1, so that an empty history still has its page 1 */
  pages: number;
  /** the page shown: the one asked for, clamped to 1…pages */
  page: number;
  /** a filter was given and no component matches it (an unknown value, or values that never meet) */
  matchesNothing: boolean;
}

/** The distinct regions, categories and component names of the catalog, sorted: the filter choices. */
export interface FilterChoices {
  regions: string[];
  categories: string[];
  components: string[];
}

/**
 * Ended events (end set and not after `now`; incidents, maintenances and notices) in history
 * order (reference v1 §4.4): by the UTC month of their end, newest month first, then by start
 * descending, then by id descending. Sorting 50,000 events takes a while, so callers sort once
 * per state and let `selectHistory` filter and page the result.
 */
export function endedEvents(events: Iterable<StatusEvent>, now: number): StatusEvent[] {
  const ended: { event: StatusEvent; month: number }[] = [];
  for (const event of events) {
    if (event.endAt === null || event.endAt > now) continue;
    ended.push({ event, month: monthIndex(event.endAt) });
  }
  ended.sort((a, b) => b.month - a.month || b.event.startAt - a.event.startAt || b.event.id - a.event.id);
  return ended.map(({ event }) => event);
}

/** The moment the ended list changes by itself: the first end after `now` among events not ended yet. */
export function nextEnd(current: Iterable<Pick<StatusEvent, 'endAt'>>, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const event of current) if (event.endAt !== null && event.endAt > now) next = Math.min(next, event.endAt);
  return next;
}

/** Whether the filter names anything at all; empty values ("All …" in the form) name nothing. */
export function normalizeFilter(filter: HistoryFilter): HistoryFilter {
  const value = (text: string | undefined) => (text === undefined || text === '' ? undefined : text);
  return { region: value(filter.region), category: value(filter.category), component: value(filter.component) };
}

export function isFiltered(filter: HistoryFilter): boolean {
  return filter.region !== undefined || filter.category !== undefined || filter.component !== undefined;
}

/** The ids of the components that match every given criterion. */
export function matchingComponentIds(components: Iterable<Component>, filter: HistoryFilter): Set<number> {
  const ids = new Set<number>();
  for (const component of components) if (matchesFeedFilter(component, filter)) ids.add(component.id);
  return ids;
}

export interface FilteredHistory {
  events: readonly StatusEvent[];
  /** a filter was given and no component matches it (an unknown value, or values that never meet) */
  matchesNothing: boolean;
}

/**
 * The events of `sorted` (as `endedEvents` returns them, order kept) with any component that
 * matches every given criterion of the filter; all of them without a filter.
 */
export function filterHistory(sorted: readonly StatusEvent[], components: Iterable<Component>, filter: HistoryFilter): FilteredHistory {
  const wanted = normalizeFilter(filter);
  if (!isFiltered(wanted)) return { events: sorted, matchesNothing: false };
  const ids = matchingComponentIds(components, wanted);
  if (ids.size === 0) return { events: [], matchesNothing: true };
  return { events: sorted.filter((event) => event.componentIds.some((id) => ids.has(id))), matchesNothing: false };
}

/** The number of pages of `total` events: at least 1, so that an empty history still has its page 1. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, Math.floor(pageSize))));
}

/** A page number as asked (1-based), clamped to 1…pages; anything not a number is page 1. */
export function clampPage(page: number, pages: number): number {
  return Number.isFinite(page) ? Math.min(Math.max(1, Math.floor(page)), pages) : 1;
}

/** Page `page` (clamped) of a filtered history, `pageSize` events, grouped by the UTC month of their end. */
export function pageOfHistory({ events, matchesNothing }: FilteredHistory, page: number, pageSize: number): HistorySelection {
  const size = Math.max(1, Math.floor(pageSize));
  const pages = pageCount(events.length, size);
  const shown = clampPage(page, pages);
  const groups: HistoryGroup[] = [];
  for (const event of events.slice((shown - 1) * size, shown * size)) {
    const end = new Date(event.endAt ?? 0);
    const year = end.getUTCFullYear();
    const month = end.getUTCMonth() + 1;
    const last = groups.at(-1);
    if (last && last.year === year && last.month === month) last.events.push(event);
    else groups.push({ year, month, events: [event] });
  }
  return { groups, total: events.length, pages, page: shown, matchesNothing };
}

/** One page of the history from the sorted ended events: filter, then page. */
export function selectHistory(sorted: readonly StatusEvent[], components: Iterable<Component>, filter: HistoryFilter, page: number, pageSize: number): HistorySelection {
  return pageOfHistory(filterHistory(sorted, components, filter), page, pageSize);
}

/** The whole selection in one call: sort, then filter and page (for callers that need no memo). */
export function history(
  events: Iterable<StatusEvent>,
  components: Iterable<Component>,
  filter: HistoryFilter,
  now: number,
  page: number,
  pageSize: number,
): HistorySelection {
  return selectHistory(endedEvents(events, now), components, filter, page, pageSize);
}

export function filterChoices(components: Iterable<Component>): FilterChoices {
  const regions = new Set<string>();
  const categories = new Set<string>();
  const names = new Set<string>();
  for (const component of components) {
    const region = attributeValue(component, 'region');
    const category = attributeValue(component, 'category');
    if (region !== undefined) regions.add(region);
    if (category !== undefined) categories.add(category);
    names.add(component.name);
  }
  const sorted = (values: Set<string>) => [...values].sort(compareText);
  return { regions: sorted(regions), categories: sorted(categories), components: sorted(names) };
}

function monthIndex(at: number): number {
  const date = new Date(at);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}
