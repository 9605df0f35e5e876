import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventType } from '../../src/domain/event.js';
import { monthlyAvailability } from '../../src/domain/availability.js';
import { DAY_MS, uptimeBar, uptimeRuns, UPTIME_DAYS, type UptimeDay } from '../../src/domain/uptime.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
const event = (type: EventType, impact: 0 | 1 | 2 | 3, start: string, end: string | null, status: string | null = null) => ({
  type,
  impact,
  startAt: at(start),
  endAt: end === null ? null : at(end),
  status,
});
const NOW = at('2026-03-10T12:00');
const LONG_AGO = at('2020-01-01T00:00');

function dayOf(days: readonly UptimeDay[], iso: string): UptimeDay {
  const found = days.find((day) => day.start === at(`${iso}T00:00`));
  assert.ok(found, `no cell for ${iso}`);
  return found;
}

describe('uptime bar', () => {
  it('has one cell per UTC day, the last being today, all operational at 100 % without events', () => {
    const bar = uptimeBar([], LONG_AGO, NOW);
    assert.equal(bar.days.length, UPTIME_DAYS);
    assert.equal(bar.days.at(-1)?.start, at('2026-03-10T00:00'));
    assert.equal(bar.days[0]?.start, at('2026-03-10T00:00') - 89 * DAY_MS);
    assert.ok(bar.days.every((day) => day.state === 'operational' && day.availability === 100));
    assert.equal(bar.availability, 100);
    assert.equal(bar.validUntil, at('2026-03-11T00:00'), 'a new day starts a new cell');
  });

  it('cuts days at UTC midnight: an outage from 23:00 to 01:00 is one hour on each day', () => {
    const bar = uptimeBar([event('incident', 3, '2026-03-05T23:00', '2026-03-06T01:00')], LONG_AGO, NOW);
    assert.deepEqual(dayOf(bar.days, '2026-03-05'), { start: at('2026-03-05T00:00'), state: 'outage', availability: 95.83333 });
    assert.deepEqual(dayOf(bar.days, '2026-03-06'), { start: at('2026-03-06T00:00'), state: 'outage', availability: 95.83333 });
    assert.equal(dayOf(bar.days, '2026-03-04').state, 'operational');
    assert.equal(dayOf(bar.days, '2026-03-07').state, 'operational');
  });

  it('an event ending exactly at midnight leaves the next day alone', () => {
    const bar = uptimeBar([event('incident', 2, '2026-03-05T20:00', '2026-03-06T00:00')], LONG_AGO, NOW);
    assert.equal(dayOf(bar.days, '2026-03-05').state, 'major');
    assert.equal(dayOf(bar.days, '2026-03-06').state, 'operational');
  });

  it('colours every day an incident spans, counting only outages as downtime', () => {
    const bar = uptimeBar([event('incident', 1, '2026-03-01T06:00', '2026-03-04T06:00')], LONG_AGO, NOW);
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']) assert.deepEqual({ ...dayOf(bar.days, day), start: 0 }, { start: 0, state: 'minor', availability: 100 });
    assert.equal(dayOf(bar.days, '2026-03-05').state, 'operational');
  });

  it('takes the worst state of a day: an outage beats a maintenance, a maintenance beats operational, a major beats a minor', () => {
    const bar = uptimeBar(
      [
        event('maintenance', 0, '2026-03-02T01:00', '2026-03-02T05:00'),
        event('incident', 3, '2026-03-02T10:00', '2026-03-02T10:30'),
        event('maintenance', 0, '2026-03-03T01:00', '2026-03-03T05:00'),
        event('incident', 1, '2026-03-04T01:00', '2026-03-04T02:00'),
        event('incident', 2, '2026-03-04T03:00', '2026-03-04T04:00'),
        event('incident', 1, '2026-03-05T01:00', '2026-03-05T02:00'),
        event('maintenance', 0, '2026-03-05T03:00', '2026-03-05T04:00'),
      ],
      LONG_AGO,
      NOW,
    );
    assert.deepEqual(dayOf(bar.days, '2026-03-02'), { start: at('2026-03-02T00:00'), state: 'outage', availability: 97.91667 });
    assert.deepEqual(dayOf(bar.days, '2026-03-03'), { start: at('2026-03-03T00:00'), state: 'maintenance', availability: 100 });
    assert.equal(dayOf(bar.days, '2026-03-04').state, 'major');
    assert.equal(dayOf(bar.days, '2026-03-05').state, 'minor');
  });

  it('colours today with an event opened at this very moment, and no day with one that starts later', () => {
    const bar = uptimeBar([event('incident', 1, '2026-03-10T12:00', null), event('maintenance', 0, '2026-03-10T13:00', '2026-03-10T14:00')], LONG_AGO, NOW);
    assert.equal(bar.days.at(-1)?.state, 'minor');
    assert.equal(bar.validUntil, at('2026-03-10T13:00'));
  });

  it('leaves notices and cancelled maintenances out of the colours', () => {
    const bar = uptimeBar([event('info', 0, '2026-03-02T01:00', '2026-03-02T05:00'), event('maintenance', 0, '2026-03-03T01:00', '2026-03-03T05:00', 'cancelled')], LONG_AGO, NOW);
    assert.equal(dayOf(bar.days, '2026-03-02').state, 'operational');
    assert.equal(dayOf(bar.days, '2026-03-03').state, 'operational');
  });

  it('shows no data before a component created mid-period, and measures its first day from its creation', () => {
    const bar = uptimeBar([], at('2026-03-08T18:00'), NOW);
    assert.deepEqual(dayOf(bar.days, '2026-03-07'), { start: at('2026-03-07T00:00'), state: 'none', availability: null });
    assert.equal(bar.days.filter((day) => day.state === 'none').length, UPTIME_DAYS - 3);
    assert.deepEqual(dayOf(bar.days, '2026-03-08'), { start: at('2026-03-08T00:00'), state: 'operational', availability: 100 });
    const down = uptimeBar([event('incident', 3, '2026-03-08T20:00', '2026-03-08T21:00')], at('2026-03-08T18:00'), NOW);
    assert.equal(dayOf(down.days, '2026-03-08').availability, 83.33333, 'one hour down of the six it existed');
    assert.equal(down.availability, 97.61905, 'one hour of the 42 since it was created');
  });

  it('starts the data at an event older than the component (a history imported with its own times)', () => {
    const bar = uptimeBar([event('incident', 2, '2026-03-01T10:00', '2026-03-01T11:00')], at('2026-03-09T00:00'), NOW);
    assert.equal(dayOf(bar.days, '2026-02-28').state, 'none');
    assert.equal(dayOf(bar.days, '2026-03-01').state, 'major');
    assert.equal(dayOf(bar.days, '2026-03-02').state, 'operational');
  });

  it('has no data at all for a component not created yet', () => {
    const bar = uptimeBar([], at('2026-03-11T00:00'), NOW);
    assert.ok(bar.days.every((day) => day.state === 'none'));
    assert.equal(bar.availability, null);
  });

  it('counts a still-open outage up to now, today measured against the time elapsed, and is measured again a minute later', () => {
    const bar = uptimeBar([event('incident', 3, '2026-03-10T09:00', null)], LONG_AGO, NOW);
    assert.deepEqual(bar.days.at(-1), { start: at('2026-03-10T00:00'), state: 'outage', availability: 75 });
    assert.equal(bar.validUntil, NOW + 60_000);
    const yesterday = uptimeBar([event('incident', 3, '2026-03-09T18:00', null)], LONG_AGO, NOW);
    assert.equal(dayOf(yesterday.days, '2026-03-09').availability, 75);
    assert.equal(dayOf(yesterday.days, '2026-03-10').availability, 0);
  });

  it('agrees with /availability over the same span: the 90 days of a bar from their first midnight', () => {
    const events = [event('incident', 3, '2026-01-31T22:00', '2026-02-01T02:00'), event('incident', 3, '2026-02-10T00:00', '2026-02-10T06:00'), event('maintenance', 0, '2026-02-20T00:00', '2026-02-20T10:00')];
    const bar = uptimeBar(events, LONG_AGO, NOW);
    const elapsed = NOW - (bar.days[0]?.start ?? 0);
    assert.equal(bar.availability, Math.round((100 - (10 * 3_600_000 * 100) / elapsed) * 100_000) / 100_000);
    assert.equal(monthlyAvailability(events, NOW, 2)[1]?.percentage, 98.80952);
  });

  it('is valid until the next event starts or ends, or the day turns, whichever comes first', () => {
    assert.equal(uptimeBar([event('maintenance', 0, '2026-03-10T14:00', '2026-03-10T16:00')], LONG_AGO, NOW).validUntil, at('2026-03-10T14:00'));
    assert.equal(uptimeBar([event('incident', 2, '2026-03-10T10:00', '2026-03-10T13:00')], LONG_AGO, NOW).validUntil, at('2026-03-10T13:00'));
    assert.equal(uptimeBar([event('incident', 2, '2026-03-10T10:00', null)], LONG_AGO, NOW).validUntil, at('2026-03-11T00:00'), 'an open minor incident changes no number');
    assert.equal(uptimeBar([], at('2026-03-10T20:00'), NOW).validUntil, at('2026-03-10T20:00'), 'the component begins to have data');
  });
});

describe('uptime runs', () => {
  const day = (start: number, state: UptimeDay['state'], availability: number | null): UptimeDay => ({ start, state, availability });

  it('joins consecutive days of the same state and availability, and splits on either', () => {
    const days = [day(0, 'none', null), day(1, 'none', null), day(2, 'operational', 100), day(3, 'operational', 100), day(4, 'outage', 99), day(5, 'outage', 98), day(6, 'minor', 100), day(7, 'operational', 100)];
    assert.deepEqual(
      uptimeRuns(days).map((run) => [run.offset, run.length, run.first.start, run.last.start]),
      [
        [0, 2, 0, 1],
        [2, 2, 2, 3],
        [4, 1, 4, 4],
        [5, 1, 5, 5],
        [6, 1, 6, 6],
        [7, 1, 7, 7],
      ],
    );
  });

  it('has no runs for no days', () => {
    assert.deepEqual(uptimeRuns([]), []);
  });
});
