/**
 * Dates as clients write them. Every date an API or a form receives is read here, so that none
 * can become NaN (better-sqlite3 binds NaN as NULL: a maintenance without an end) or a moment
 * nobody meant.
 */

/**
 * The years a date may name. Nothing the dashboard records happened before 1970, where epoch
 * milliseconds start; a date past 2099 is a typo, not a plan, and year 9999 would keep an incident
 * open for good. The narrow range also keeps every date clear of `Date.UTC`'s reading of years
 * 0–99 as 1900–1999.
 */
export const YEARS = { first: 1970, last: 2099 } as const;

const FIRST_INSTANT = Date.UTC(YEARS.first, 0, 1);
const END_INSTANT = Date.UTC(YEARS.last + 1, 0, 1);

/** The fields of a wall-clock time: month 1–12, day 1–31. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/**
 * The wall-clock time as epoch ms read as UTC, or undefined when it names no real time of
 * YEARS: no February 30, no month 13, no hour 24, and no leap second (`:60`), which epoch
 * milliseconds cannot hold.
 */
export function wallClockTime({ year, month, day, hour, minute, second, millisecond = 0 }: WallClock): number | undefined {
  if (year < YEARS.first || year > YEARS.last || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > daysInMonth ? undefined : Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/** Whether an instant lies within YEARS (in UTC). */
export function isWithinYears(at: number): boolean {
  return at >= FIRST_INSTANT && at < END_INSTANT;
}

/**
 * RFC 3339 §5.6 `date-time`: seconds required, a fraction of up to nine digits (Go writes
 * nanoseconds; JavaScript's `toISOString()` writes three), and a zone, `Z` or `±HH:MM`. "T" and
 * "Z" may be lower case (§5.6, note).
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The instant an RFC 3339 date-time names, in epoch ms (a fraction beyond ms is cut), or undefined. */
export function parseInstant(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [, , , , , , , fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const wallClock = wallClockTime({ year, month, day, hour, minute, second, millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)) });
  const [hours, minutes] = [Number(offsetHours), Number(offsetMinutes)];
  if (wallClock === undefined || hours > 23 || minutes > 59) return undefined;
  const at = wallClock - (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  return isWithinYears(at) ? at : undefined;
}
