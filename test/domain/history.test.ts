import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import type { EventType, StatusEvent } from '../../src/domain/event.js';
import {
  clampPage,
  endedEvents,
  filterChoices,
  filterHistory,
  history,
  isFiltered,
  matchingComponentIds,
  nextEnd,
  normalizeFilter,
  pageCount,
  pageOfHistory,
  selectHistory,
} from '../../src/domain/history.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
const now = at('2026-03-10T12:00');

function event(id: number, start: string, end: string | null, componentIds: number[] = [], type: EventType = 'incident'): StatusEvent {
  return {
    id,
    type,
    title: `event ${id}`,
    description: null,
    impact: type === 'incident' ? 1 : 0,
    startAt: at(start),
    endAt: end === null ? null : at(end),
    status: null,
    system: false,
    componentIds,
    updates: [],
    version: 1,
    creator: null,
    contactEmail: null,
  };
}

function component(id: number, name: string, attributes: Record<string, string>): Component {
  return { id, name, attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value })) };
}

const components = [
  component(1, 'Compute', { region: 'EU-DE', category: 'Compute' }),
  component(2, 'Compute', { region: 'EU-NL', category: 'Compute' }),
  component(3, 'Storage', { region: 'EU-DE', category: 'Storage' }),
  component(4, 'Lonely', {}),
];

const ids = (events: readonly StatusEvent[]) => events.map((item) => item.id);

describe('history: ended events', () => {
  it('keeps events ended at or before now, of every type, and drops open and future ends', () => {
    const events = [
      event(1, '2026-03-01T00:00', null),
      event(2, '2026-03-01T00:00', '2026-03-10T12:00'), // ends exactly now: ended
      event(3, '2026-03-01T00:00', '2026-03-10T12:01'), // one minute to go
      event(4, '2026-02-01T00:00', '2026-02-02T00:00', [], 'maintenance'),
      event(5, '2026-02-01T00:00', '2026-02-03T00:00', [], 'info'),
    ];
    assert.deepEqual(ids(endedEvents(events, now)), [2, 5, 4]);
  });

  it('orders by month of the end (newest first), then start descending, then id descending', () => {
    const events = [
      event(1, '2026-01-30T00:00', '2026-02-01T00:00'), // ends in February, started earliest
      event(2, '2026-02-20T00:00', '2026-02-21T00:00'),
      event(3, '2026-02-20T00:00', '2026-02-22T00:00'), // same start as 2: higher id first
      event(4, '2026-01-31T23:00', '2026-01-31T23:59'), // January, though it started after 1
      event(5, '2026-03-01T00:00', '2026-03-02T00:00'),
    ];
    assert.deepEqual(ids(endedEvents(events, now)), [5, 3, 2, 1, 4]);
  });

  it('is empty without events', () => {
    assert.deepEqual(endedEvents([], now), []);
  });
});

describe('history: next end', () => {
  it('is the first end after now, ignoring open events and past ends', () => {
    const current = [event(1, '2026-03-01T00:00', null), event(2, '2026-03-01T00:00', '2026-03-12T00:00'), event(3, '2026-03-01T00:00', '2026-03-11T00:00'), event(4, '2026-03-01T00:00', '2026-03-09T00:00')];
    assert.equal(nextEnd(current, now), at('2026-03-11T00:00'));
  });

  it('is never without ends ahead', () => {
    assert.equal(nextEnd([event(1, '2026-03-01T00:00', null)], now), Number.POSITIVE_INFINITY);
    assert.equal(nextEnd([], now), Number.POSITIVE_INFINITY);
  });
});

describe('history: filters', () => {
  it('drops empty values (the form’s “All …”) and keeps the others', () => {
    assert.deepEqual(normalizeFilter({ region: '', category: 'Compute', component: undefined }), { region: undefined, category: 'Compute', component: undefined });
    assert.equal(isFiltered(normalizeFilter({ region: '', category: '', component: '' })), false);
    assert.equal(isFiltered({ region: 'EU-DE' }), true);
    assert.equal(isFiltered({ category: 'Compute' }), true);
    assert.equal(isFiltered({ component: 'Compute' }), true);
    assert.equal(isFiltered({}), false);
  });

  it('finds the components matching every criterion', () => {
    assert.deepEqual([...matchingComponentIds(components, { region: 'EU-DE' })], [1, 3]);
    assert.deepEqual([...matchingComponentIds(components, { component: 'Compute' })], [1, 2]);
    assert.deepEqual([...matchingComponentIds(components, { category: 'Compute', region: 'EU-NL' })], [2]);
    assert.deepEqual([...matchingComponentIds(components, { category: 'Storage', region: 'EU-NL' })], []);
    assert.deepEqual([...matchingComponentIds(components, {})], [1, 2, 3, 4]);
  });

  const sorted = endedEvents(
    [
      event(1, '2026-02-01T00:00', '2026-02-02T00:00', [1]),
      event(2, '2026-02-03T00:00', '2026-02-04T00:00', [2]),
      event(3, '2026-02-05T00:00', '2026-02-06T00:00', [3, 2]),
      event(4, '2026-02-07T00:00', '2026-02-08T00:00', []),
      event(5, '2026-02-09T00:00', '2026-02-10T00:00', [4]),
    ],
    now,
  );

  it('keeps everything, in order, without a filter', () => {
    const all = filterHistory(sorted, components, { region: '' });
    assert.equal(all.events, sorted);
    assert.equal(all.matchesNothing, false);
  });

  it('keeps events with any component that matches every criterion', () => {
    assert.deepEqual(ids(filterHistory(sorted, components, { region: 'EU-DE' }).events), [3, 1]);
    assert.deepEqual(ids(filterHistory(sorted, components, { category: 'Compute' }).events), [3, 2, 1]);
    assert.deepEqual(ids(filterHistory(sorted, components, { component: 'Storage' }).events), [3]);
    assert.deepEqual(ids(filterHistory(sorted, components, { region: 'EU-NL', category: 'Compute', component: 'Compute' }).events), [3, 2]);
  });

  it('reports a filter that matches no component apart from one that matches no event', () => {
    assert.deepEqual(filterHistory(sorted, components, { region: 'Atlantis' }), { events: [], matchesNothing: true });
    assert.deepEqual(filterHistory(sorted, components, { region: 'EU-NL', category: 'Storage' }), { events: [], matchesNothing: true });
    assert.deepEqual(filterHistory([], components, { region: 'EU-NL' }), { events: [], matchesNothing: false });
  });
});

describe('history: pages', () => {
  it('counts at least one page', () => {
    assert.equal(pageCount(0, 25), 1);
    assert.equal(pageCount(25, 25), 1);
    assert.equal(pageCount(26, 25), 2);
    assert.equal(pageCount(3, 0), 3); // a page holds at least one event
  });

  it('clamps the page asked for', () => {
    assert.equal(clampPage(0, 3), 1);
    assert.equal(clampPage(-4, 3), 1);
    assert.equal(clampPage(2, 3), 2);
    assert.equal(clampPage(2.7, 3), 2);
    assert.equal(clampPage(99, 3), 3);
    assert.equal(clampPage(Number.NaN, 3), 1);
  });

  // 5 events: 3 ending in March, 2 in February
  const sorted = endedEvents(
    [
      event(1, '2026-02-01T00:00', '2026-02-02T00:00'),
      event(2, '2026-02-03T00:00', '2026-02-04T00:00'),
      event(3, '2026-03-01T00:00', '2026-03-02T00:00'),
      event(4, '2026-03-03T00:00', '2026-03-04T00:00'),
      event(5, '2026-02-27T00:00', '2026-03-05T00:00'),
    ],
    now,
  );
  const grouping = (selection: ReturnType<typeof pageOfHistory>) => selection.groups.map((group) => [group.year, group.month, ids(group.events)]);

  it('groups a page by the month of the end, a month split over pages on each', () => {
    const first = pageOfHistory({ events: sorted, matchesNothing: false }, 1, 2);
    assert.deepEqual(grouping(first), [[2026, 3, [4, 3]]]);
    assert.deepEqual({ total: first.total, pages: first.pages, page: first.page }, { total: 5, pages: 3, page: 1 });
    const second = pageOfHistory({ events: sorted, matchesNothing: false }, 2, 2);
    assert.deepEqual(grouping(second), [
      [2026, 3, [5]],
      [2026, 2, [2]],
    ]);
    const beyond = pageOfHistory({ events: sorted, matchesNothing: false }, 9, 2);
    assert.equal(beyond.page, 3);
    assert.deepEqual(grouping(beyond), [[2026, 2, [1]]]);
  });

  it('gives an empty page 1 of 1 for nothing, and passes matchesNothing on', () => {
    assert.deepEqual(pageOfHistory({ events: [], matchesNothing: true }, 4, 25), { groups: [], total: 0, pages: 1, page: 1, matchesNothing: true });
  });

  it('filters then pages (selectHistory), or sorts, filters and pages (history)', () => {
    const events = Array.from({ length: 30 }, (_, index) => event(index + 1, '2026-01-01T00:00', '2026-01-02T00:00', [index % 2 === 0 ? 1 : 2]));
    const sortedAll = endedEvents(events, now);
    const euDe = selectHistory(sortedAll, components, { region: 'EU-DE' }, 1, 10);
    assert.deepEqual({ total: euDe.total, pages: euDe.pages }, { total: 15, pages: 2 });
    assert.deepEqual(ids(euDe.groups[0]?.events ?? []), [29, 27, 25, 23, 21, 19, 17, 15, 13, 11]);
    const whole = history(events, components, {}, now, 3, 10);
    assert.deepEqual({ total: whole.total, page: whole.page }, { total: 30, page: 3 });
    assert.deepEqual(ids(whole.groups[0]?.events ?? []), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('history: filter choices', () => {
  it('lists the distinct regions, categories and names, sorted', () => {
    const choices = filterChoices([...components, component(5, 'Backup', { category: 'Storage', region: 'EU-CH' })]);
    assert.deepEqual(choices, {
      regions: ['EU-CH', 'EU-DE', 'EU-NL'],
      categories: ['Compute', 'Storage'],
      components: ['Backup', 'Compute', 'Lonely', 'Storage'],
    });
  });
});
