import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import type { StatusEvent } from '../../src/domain/event.js';
import { affectedRegions, stateOf, statusOverview, worstState } from '../../src/domain/status-overview.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-03-10T12:00:00Z');

const component = (id: number, name: string, attributes: Record<string, string>): Component => ({
  id,
  name,
  attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value })),
});

let nextId = 1;
const event = (fields: Partial<StatusEvent> & Pick<StatusEvent, 'componentIds'>): StatusEvent => ({
  id: nextId++,
  type: 'incident',
  title: 'Event',
  description: null,
  impact: 1,
  startAt: now - HOUR,
  endAt: null,
  status: null,
  system: false,
  updates: [],
  version: 1,
  creator: null,
  contactEmail: null,
  ...fields,
});

const catalog = [
  component(1, 'Compute', { region: 'EU-NL', category: 'Compute' }),
  component(2, 'Storage', { region: 'EU-DE', category: 'Storage' }),
  component(3, 'Compute', { region: 'EU-DE', category: 'Compute' }),
  component(4, 'Auto Scaling', { region: 'EU-DE', category: 'Compute' }),
  component(5, 'Unplaced', { region: 'EU-DE' }),
];

describe('status overview', () => {
  it('is operational everywhere without events, regions and categories sorted, components by name', () => {
    const overview = statusOverview(catalog, [], now);
    assert.equal(overview.state, 'operational');
    assert.deepEqual(
      overview.regions.map((region) => [region.name, region.state, region.categories.map((category) => [category.name, category.components.map((status) => status.component.id)])]),
      [
        ['EU-DE', 'operational', [['Compute', [4, 3]], ['Storage', [2]]]],
        ['EU-NL', 'operational', [['Compute', [1]]]],
      ],
    );
    assert.equal(overview.validUntil, Number.POSITIVE_INFINITY);
    assert.equal(overview.components.size, 5, 'unlisted components still have a state');
  });

  it('takes the highest impact of a component’s active incidents, the earliest among equals', () => {
    const first = event({ impact: 2, componentIds: [3], startAt: now - 3 * HOUR });
    const second = event({ impact: 2, componentIds: [3], startAt: now - 2 * HOUR });
    const minor = event({ impact: 1, componentIds: [3, 2] });
    const overview = statusOverview(catalog, [minor, second, first], now);
    assert.equal(overview.components.get(3)?.state, 'major');
    assert.equal(overview.components.get(3)?.cause?.id, first.id);
    assert.equal(overview.components.get(2)?.state, 'minor');
    assert.equal(overview.regions[0]?.state, 'major');
    assert.equal(overview.regions[1]?.state, 'operational');
    assert.equal(overview.state, 'major');
    assert.deepEqual(overview.incidents.map((incident) => incident.id), [minor.id, second.id, first.id], 'newest start first');
  });

  it('lets a maintenance in progress win over incidents (reference v1 §4.2)', () => {
    const outage = event({ impact: 3, componentIds: [3] });
    const maintenance = event({ type: 'maintenance', impact: 0, componentIds: [3], endAt: now + HOUR });
    const overview = statusOverview(catalog, [outage, maintenance], now);
    assert.equal(overview.components.get(3)?.state, 'maintenance');
    assert.deepEqual(overview.maintenances.map((found) => found.id), [maintenance.id]);
    assert.equal(overview.validUntil, now + HOUR, 'changes by itself when the window ends');
  });

  it('ignores cancelled maintenances, and notices never change a state', () => {
    const cancelled = event({ type: 'maintenance', impact: 0, componentIds: [2], endAt: now + HOUR, status: 'cancelled' });
    const notice = event({ type: 'info', impact: 0, componentIds: [2], endAt: now + HOUR });
    const overview = statusOverview(catalog, [cancelled, notice], now);
    assert.equal(overview.components.get(2)?.state, 'operational');
    assert.deepEqual(overview.maintenances.map((found) => found.id), [notice.id]);
    assert.equal(overview.state, 'operational');
  });

  it('lists planned maintenances and notices soonest first and marks each component’s next one', () => {
    const later = event({ type: 'maintenance', impact: 0, componentIds: [1], startAt: now + 5 * HOUR, endAt: now + 6 * HOUR });
    const sooner = event({ type: 'maintenance', impact: 0, componentIds: [1], startAt: now + 2 * HOUR, endAt: now + 3 * HOUR });
    const notice = event({ type: 'info', impact: 0, componentIds: [1], startAt: now + 4 * HOUR, endAt: null });
    const overview = statusOverview(catalog, [later, notice, sooner], now);
    assert.deepEqual(overview.planned.map((found) => found.id), [sooner.id, notice.id, later.id]);
    assert.equal(overview.components.get(1)?.planned?.id, sooner.id);
    assert.equal(overview.components.get(1)?.state, 'operational');
    assert.equal(overview.validUntil, now + 2 * HOUR);
  });

  it('skips events that ended or have not started', () => {
    const ended = event({ impact: 3, componentIds: [1], startAt: now - 2 * HOUR, endAt: now });
    const future = event({ impact: 3, componentIds: [1], startAt: now + HOUR });
    const overview = statusOverview(catalog, [ended, future], now);
    assert.equal(overview.components.get(1)?.state, 'operational');
    assert.deepEqual(overview.incidents, []);
    assert.deepEqual(overview.planned, [], 'a future incident is not a planned maintenance');
    assert.equal(overview.validUntil, now + HOUR);
  });

  it('counts unlisted components in the overall state', () => {
    const overview = statusOverview(catalog, [event({ impact: 3, componentIds: [5] })], now);
    assert.equal(overview.state, 'outage');
    assert.ok(overview.regions.every((region) => region.state === 'operational'));
  });

  it('orders affected regions worst first, then by name', () => {
    const overview = statusOverview(catalog, [event({ impact: 1, componentIds: [1] }), event({ impact: 3, componentIds: [2] })], now);
    assert.deepEqual(affectedRegions(overview).map((region) => [region.name, region.state]), [
      ['EU-DE', 'outage'],
      ['EU-NL', 'minor'],
    ]);
  });
});

describe('states', () => {
  it('maps events to states', () => {
    assert.equal(stateOf({ type: 'incident', impact: 1 }), 'minor');
    assert.equal(stateOf({ type: 'incident', impact: 2 }), 'major');
    assert.equal(stateOf({ type: 'incident', impact: 3 }), 'outage');
    assert.equal(stateOf({ type: 'maintenance', impact: 0 }), 'maintenance');
    assert.equal(stateOf({ type: 'info', impact: 0 }), 'operational');
  });

  it('finds the worst', () => {
    assert.equal(worstState([]), 'operational');
    assert.equal(worstState(['minor', 'maintenance', 'outage', 'major']), 'outage');
    assert.equal(worstState(['maintenance', 'operational']), 'maintenance');
  });
});
