import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monthlyAvailability } from '../../src/domain/availability.js';
import type { EventType } from '../../src/domain/event.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
const event = (type: EventType, impact: 0 | 1 | 2 | 3, start: string, end: string | null) => ({
  type,
  impact,
  startAt: at(start),
  endAt: end === null ? null : at(end),
});

describe('monthly availability', () => {
  const now = at('2026-03-10T12:00');

  it('is 100 for each of the last 12 months, newest first, without outages', () => {
    const months = monthlyAvailability([], now);
    assert.equal(months.length, 12);
    assert.deepEqual(months[0], { year: 2026, month: 3, percentage: 100 });
    assert.deepEqual(months[11], { year: 2025, month: 4, percentage: 100 });
  });

  it('splits at month boundaries, counts open outages to now and overlaps once, never maintenance', () => {
    const months = monthlyAvailability(
      [
        event('incident', 3, '2026-01-31T22:00', '2026-02-01T02:00'), // 2 h in January, 2 h in February
        event('incident', 3, '2026-02-10T00:00', '2026-02-10T04:00'), // overlaps the next: 6 h together
        event('incident', 3, '2026-02-10T02:00', '2026-02-10T06:00'),
        event('maintenance', 0, '2026-02-20T00:00', '2026-02-20T10:00'),
        event('incident', 2, '2026-02-21T00:00', '2026-02-21T05:00'),
        event('incident', 3, '2026-03-10T10:00', null), // open: 2 h so far
      ],
      now,
    );
    assert.deepEqual(months.slice(0, 4), [
      { year: 2026, month: 3, percentage: 99.12281 }, // 2 h of the 228 h elapsed
      { year: 2026, month: 2, percentage: 98.80952 }, // 8 h of 672 h
      { year: 2026, month: 1, percentage: 99.73118 }, // 2 h of 744 h
      { year: 2025, month: 12, percentage: 100 },
    ]);
  });

  it('gives the reference’s own example: an outage from 21 June to 2 July 20:00', () => {
    const months = monthlyAvailability([event('incident', 3, '2025-06-21T00:00', '2025-07-02T20:00')], at('2025-08-15T00:00'));
    assert.deepEqual(months.slice(1, 3), [
      { year: 2025, month: 7, percentage: 94.08602 },
      { year: 2025, month: 6, percentage: 66.66667 },
    ]);
  });

  it('is 0 for a month covered entirely, and ignores what lies outside the window or ahead of now', () => {
    const months = monthlyAvailability(
      [
        event('incident', 3, '2026-01-15T00:00', '2026-03-01T00:00'),
        event('incident', 3, '2024-01-01T00:00', '2024-02-01T00:00'),
        event('incident', 3, '2026-03-11T00:00', null),
      ],
      now,
    );
    assert.deepEqual(months.slice(0, 3).map((m) => m.percentage), [100, 0, 45.16129]);
    assert.ok(months.slice(3).every((m) => m.percentage === 100));
  });

  it('is 100 at the very first instant of a month', () => {
    assert.equal(monthlyAvailability([event('incident', 3, '2026-02-01T00:00', null)], at('2026-03-01T00:00'))[0]?.percentage, 100);
  });
});
