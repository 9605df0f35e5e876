import { isWithinYears, wallClockTime } from './instant.js';

/**
 * Wall-clock times in a named zone, as the operator forms send them (`<input type="datetime-local">`
 * plus the zone the browser is in). Intl knows the zones' rules, so no zone database ships with us.
 */

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zones a form may name: every IANA zone this runtime knows, and UTC. */
export const TIME_ZONES: readonly string[] = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
const KNOWN_ZONES = new Set(TIME_ZONES);

/**
 * A zone of the list, or another name Intl reads as one of them: the runtime's list may hold only
 * one spelling of a renamed zone (Node 20 lists `Asia/Calcutta`, browsers send `Asia/Kolkata`).
 */
export function isTimeZone(zone: string): boolean {
  if (KNOWN_ZONES.has(zone)) return true;
  try {
    return KNOWN_ZONES.has(new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

/** The wall clock of an instant in a zone, as epoch ms "as if UTC". */
function wallClockOf(at: number, zone: string): number {
  const parts = Object.fromEntries(formatterOf(zone).formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/**
 * The instant a wall-clock time names in a zone (`2026-03-29T02:30` in `Europe/Berlin` …);
 * undefined when the text or the zone is not valid, or the time is not a real one within `YEARS`.
 * A time a clock change skips is read with the offset before the change (02:30 becomes 03:30); a
 * time it repeats is the first of the two.
 */
export function zonedToUtc(local: string, zone: string): number | undefined {
  const match = LOCAL_PATTERN.exec(local);
  if (!match || !isTimeZone(zone)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const asUtc = wallClockTime({ year, month, day, hour, minute, second });
  if (asUtc === undefined) return undefined;
  // The zone's offsets a day either side cover any clock change in between.
  const offsets = [asUtc - DAY, asUtc + DAY].map((at) => wallClockOf(at, zone) - at);
  const matches = offsets.map((offset) => asUtc - offset).filter((at) => wallClockOf(at, zone) === asUtc);
  const at = matches.length > 0 ? Math.min(...matches) : asUtc - (offsets[0] ?? 0);
  return isWithinYears(at) ? at : undefined;
}

/** The `datetime-local` value of an instant in a zone, to the minute (or to the second). */
export function utcToZoned(at: number, zone: string, precision: 'minute' | 'second' = 'minute'): string {
  return new Date(wallClockOf(at, zone)).toISOString().slice(0, precision === 'minute' ? 16 : 19);
}
