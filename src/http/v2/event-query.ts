import { EVENT_TYPES, type EventType } from '../../domain/event.js';
import type { EventFilter } from '../../domain/event-filter.js';
import { EVENT_STATUSES } from '../../domain/event-status.js';
import { parseId } from '../../domain/ids.js';
import { parseInstant } from '../../domain/instant.js';
import { normaliseStatus } from '../../domain/rules/event-transitions.js';
import { FILTER_INVALID } from './errors.js';
import { HttpError } from '../errors.js';

export interface EventQuery {
  filter: EventFilter;
  page: number;
  limit: number;
}

const STATUSES: ReadonlySet<string> = new Set([...EVENT_STATUSES.incident, ...EVENT_STATUSES.maintenance, 'pending review']);
const LIMITS = [10, 20, 50];

/** Parses the list filters of reference v3 §3.2; anything invalid is one 400. */
export function parseEventQuery(query: Record<string, string | undefined>, paginated: boolean): EventQuery {
  const invalid = () => new HttpError(400, FILTER_INVALID);
  const filter: EventFilter = {};
  const { type, active, status, start_date: startDate, end_date: endDate, impact, system, components, page, limit } = query;
  if (type !== undefined) {
    const types = type.split(',');
    if (!types.every((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t))) throw invalid();
    filter.types = types as EventType[];
  }
  if (active !== undefined) {
    if (active !== 'true') throw invalid();
    filter.active = true;
  }
  if (status !== undefined) {
    if (!STATUSES.has(status)) throw invalid();
    filter.status = normaliseStatus(status);
  }
  const date = (value: string) => {
    const parsed = parseInstant(value);
    if (parsed === undefined) throw invalid();
    return parsed;
  };
  if (startDate !== undefined) filter.startFrom = date(startDate);
  if (endDate !== undefined) filter.endUntil = date(endDate);
  if (filter.startFrom !== undefined && filter.endUntil !== undefined && filter.endUntil < filter.startFrom) throw invalid();
  if (impact !== undefined) {
    if (!/^[0-3]$/.test(impact)) throw invalid();
    filter.impact = Number(impact);
  }
  if (system !== undefined) {
    if (system !== 'true' && system !== 'false') throw invalid();
    filter.system = system === 'true';
  }
  if (components !== undefined) {
    const ids = components.split(',').map(parseId);
    if (!ids.every((id) => id !== undefined)) throw invalid();
    filter.componentIds = ids;
  }
  const pageNumber = page === undefined ? 1 : /^\d+$/.test(page) ? Number(page) : 0;
  if (pageNumber < 1) throw invalid();
  const limitNumber = limit === undefined || !paginated ? 50 : Number(limit);
  if (!LIMITS.includes(limitNumber)) throw invalid();
  return { filter, page: pageNumber, limit: limitNumber };
}

/**
 * The query in one spelling, for keeping its answer: queries that must give the same answer get
 * the same key (the type and component lists are sets; statuses and dates parsed), so spelling
 * one query many ways takes one slot. The deprecated list has no pages: its page is no part of it.
 */
export function eventQueryKey({ filter, page, limit }: EventQuery, paginated: boolean): string {
  const set = <T extends string | number>(values: readonly T[] | undefined) => values && [...new Set(values)].sort();
  const { types, active, status, startFrom, endUntil, impact, system, componentIds } = filter;
  return JSON.stringify([set(types), active, status, startFrom, endUntil, impact, system, set(componentIds), ...(paginated ? [page, limit] : [])]);
}
