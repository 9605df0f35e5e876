import { availabilityWithin, outageIntervals } from './availability.js';
import type { StatusEvent } from './event.js';
import { currentStatus } from './event-status.js';
import { stateOf, worstState, type State } from './status-overview.js';

/** Days in an uptime bar: the current UTC day and the 89 before it, as Statuspage shows. */
export const UPTIME_DAYS = 90;
export const DAY_MS = 86_400_000;
/** While an outage is open the numbers fall minute by minute; a bar is measured again at most this often. */
const OPEN_OUTAGE_REFRESH_MS = 60_000;

/** A day's colour: the worst state of the day, or `none` for a day before the component existed. */
export type DayState = State | 'none';

export interface UptimeDay {
  /** the day's UTC midnight, epoch ms */
  start: number;
  state: DayState;
  /** 0–100, five decimals, of the part of the day the component existed up to now; null on a day without data */
  availability: number | null;
}

export interface UptimeBar {
  /** oldest first; the last is the current day, measured up to now */
  days: UptimeDay[];
  /** over the whole bar (from the component's first data), null when it has none */
  availability: number | null;
  /** the first moment the bar changes by itself (a new day, an event starting or ending, an open outage's next minute) */
  validUntil: number;
}

type BarEvent = Pick<StatusEvent, 'type' | 'impact' | 'startAt' | 'endAt' | 'status'>;

/**
 * A component's uptime bar, one cell per UTC day. A day's state is the worst state any of its
 * events gave it while it lasted (stateOf: an outage beats a maintenance, unlike the current
 * state, where a maintenance in progress wins: the bar tells how bad the day was); notices and
 * cancelled maintenances colour nothing. Availability follows `/availability`'s rules
 * (availability.ts: only outage incidents are downtime, an open one up to now), measured from the
 * moment the component has data: its creation, or its first event when the history is older
 * (events imported with their own times).
 */
export function uptimeBar(events: readonly BarEvent[], createdAt: number, now: number, dayCount = UPTIME_DAYS): UptimeBar {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const first = today - (dayCount - 1) * DAY_MS;
  const dataFrom = events.reduce((earliest, event) => Math.min(earliest, event.startAt), createdAt);
  const coloured = events.filter((event) => event.type !== 'info' && currentStatus(event, now) !== 'cancelled' && event.startAt <= now && (event.endAt === null || event.endAt > first));
  const downtime = outageIntervals(coloured, first, now);

  const days: UptimeDay[] = [];
  for (let start = first; start <= today; start += DAY_MS) {
    const from = Math.max(start, dataFrom);
    const to = Math.min(start + DAY_MS, now);
    if (from >= to) {
      days.push({ start, state: 'none', availability: null });
      continue;
    }
    // An event colours the days it touches, the moment it starts included (one opened now shows at once).
    const states = coloured.filter((event) => event.startAt < start + DAY_MS && (event.endAt === null || event.endAt > from)).map(stateOf);
    days.push({ start, state: worstState(states), availability: availabilityWithin(downtime, from, to) });
  }

  const from = Math.max(first, dataFrom);
  const availability = from < now ? availabilityWithin(downtime, from, now) : null;
  return { days, availability, validUntil: barValidUntil(events, dataFrom, today, now) };
}

function barValidUntil(events: readonly BarEvent[], dataFrom: number, today: number, now: number): number {
  const moments = [today + DAY_MS, dataFrom];
  for (const event of events) {
    moments.push(event.startAt, event.endAt ?? Number.POSITIVE_INFINITY);
    const openOutage = event.type === 'incident' && event.impact === 3 && event.startAt <= now && (event.endAt === null || event.endAt > now);
    if (openOutage) moments.push(now + OPEN_OUTAGE_REFRESH_MS);
  }
  return Math.min(...moments.filter((moment) => moment > now));
}

/** Consecutive days that read the same (state and availability): one focusable cell on the page, however many days it spans. */
export interface UptimeRun {
  first: UptimeDay;
  /** the last day of the run (the first one when it spans one day) */
  last: UptimeDay;
  /** position of the first day in the bar, from 0 */
  offset: number;
  length: number;
}

/**
 * The bar's days as runs of identical days: ninety operational days are one run, so a bar costs
 * a few elements on the page instead of ninety (a region of 100 services would otherwise be
 * 9,000 cells), and a screen reader hears "1 September to 28 November: operational" once.
 */
export function uptimeRuns(days: readonly UptimeDay[]): UptimeRun[] {
  const runs: UptimeRun[] = [];
  days.forEach((day, offset) => {
    const run = runs.at(-1);
    if (run && run.last.state === day.state && run.last.availability === day.availability) {
      run.last = day;
      run.length++;
    } else {
      runs.push({ first: day, last: day, offset, length: 1 });
    }
  });
  return runs;
}
