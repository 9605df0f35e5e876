import { STATE_LABELS } from '../domain/status-overview.js';
import { uptimeRuns, UPTIME_DAYS, type DayState, type UptimeBar, type UptimeRun } from '../domain/uptime.js';
import { dayText, percentText } from './format.js';

/** Short class names: a busy region's front page carries thousands of cells. */
const STATE_CLASSES: Record<DayState, string> = { operational: 'op', maintenance: 'mt', minor: 'mi', major: 'ma', outage: 'ou', none: 'no' };

/**
 * What a cell says, to screen readers and in its tooltip: the days (without the year: 90 days
 * name each day once), the state in words, the availability ("8 Mar: outage, 91.67 %").
 */
export function runText({ first, last }: UptimeRun): string {
  const days = first === last ? dayText(first.start) : `${dayText(first.start)} to ${dayText(last.start)}`;
  if (first.state === 'none' || first.availability === null) return `${days}: no data`;
  return `${days}: ${STATE_LABELS[first.state].toLowerCase()}, ${percentText(first.availability)} %`;
}

export function uptimeTotalText(bar: UptimeBar): string {
  return bar.availability === null ? 'no data yet' : `${percentText(bar.availability)} % in ${UPTIME_DAYS} days`;
}

/**
 * The 90-day bar: a grid of one column per UTC day, where days that read the same are one
 * focusable cell spanning their columns (drawn as separate days by the stylesheet). Focus or
 * hover shows a cell's text; screen readers read it as a list. No script, no inline style (the
 * pages' CSP forbids it): a span is a class.
 */
export function UptimeBarView({ bar, label }: { bar: UptimeBar; label: string }) {
  return (
    <div class="uptime">
      <ol class="uptime-days" aria-label={`${label}, availability in the last ${UPTIME_DAYS} days`}>
        {uptimeRuns(bar.days).map((run) => (
          <li class={`${STATE_CLASSES[run.first.state]} n${run.length}${run.offset * 2 >= UPTIME_DAYS ? ' r' : ''}`} tabindex={0}>
            <span>{runText(run)}</span>
          </li>
        ))}
      </ol>
      <span class="uptime-total">{uptimeTotalText(bar)}</span>
    </div>
  );
}
