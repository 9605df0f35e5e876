import type { StatusEvent } from './event.js';

export interface MonthlyAvailability {
  year: number;
  /** 1–12 */
  month: number;
  /** 0–100, five decimals */
  percentage: number;
}

type Outage = Pick<StatusEvent, 'type' | 'impact' | 'startAt' | 'endAt'>;

/**
 * Availability of one component per calendar month (UTC), newest month first, from the events it
 * is part of. Fixes the references' bugs (reference v1 §7, v3 §4): an outage counts in every month
 * it spans, an open outage counts up to now, overlapping outages count once, and only outage
 * incidents (impact 3) are downtime, never maintenance. The current month is measured against the
 * time elapsed so far, a past month against its whole length.
 */
export function monthlyAvailability(events: readonly Outage[], now: number, months = 12): MonthlyAvailability[] {
  const current = new Date(now);
  const firstMonth = Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - (months - 1), 1);
  const downtime = outageIntervals(events, firstMonth, now);

  const result: MonthlyAvailability[] = [];
  for (let index = months - 1; index >= 0; index--) {
    const start = Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - index, 1);
    const end = Math.min(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - index + 1, 1), now);
    const month = new Date(start);
    result.push({ year: month.getUTCFullYear(), month: month.getUTCMonth() + 1, percentage: availabilityWithin(downtime, start, end) });
  }
  return result.reverse();
}

/**
 * The downtime of `events` from `from` to `now`, as sorted, non-overlapping intervals: only
 * outage incidents (impact 3) count, an open one up to now, overlapping ones once.
 */
export function outageIntervals(events: readonly Outage[], from: number, now: number): [number, number][] {
  return mergeIntervals(
    events
      .filter((event) => event.type === 'incident' && event.impact === 3 && event.startAt < now)
      .map((event): [number, number] => [Math.max(event.startAt, from), Math.min(event.endAt ?? now, now)])
      .filter(([start, end]) => end > start),
  );
}

/** The share of `start`–`end` outside `downtime` (outageIntervals), 0–100 with five decimals; 100 for no time at all. */
export function availabilityWithin(downtime: readonly [number, number][], start: number, end: number): number {
  const down = downtime.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, end) - Math.max(from, start)), 0);
  return percentage(end - start, down);
}

function percentage(length: number, down: number): number {
  if (length <= 0) return 100;
  return Math.round((100 - (down / length) * 100) * 100_000) / 100_000;
}

/** Sorted, non-overlapping intervals covering the same time. */
function mergeIntervals(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
