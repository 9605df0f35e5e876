const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-03-10 12:00 UTC": what a page shows before (or without) the local-time script. */
export function utcText(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "7 Mar": a UTC day, where the year goes without saying */
export function dayText(at: number): string {
  const day = new Date(at);
  return `${day.getUTCDate()} ${(MONTHS[day.getUTCMonth()] ?? '').slice(0, 3)}`;
}

/** "March 2026" */
export function monthName(year: number, month: number): string {
  return `${MONTHS[month - 1] ?? ''} ${year}`;
}

/** "Mar 2026": a column heading where twelve months must fit */
export function shortMonthName(year: number, month: number): string {
  return `${(MONTHS[month - 1] ?? '').slice(0, 3)} ${year}`;
}

/** "99.33": availability as the reference shows it, two decimals. */
export function percentText(percentage: number): string {
  return percentage.toFixed(2);
}

/** The reference's colour bands (reference v1 §4.5), named for what they mean. */
export function availabilityBand(percentage: number): 'good' | 'degraded' | 'poor' {
  if (percentage > 99.95) return 'good';
  return percentage < 90 ? 'poor' : 'degraded';
}
