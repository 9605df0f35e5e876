import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import type { StatusEvent } from '../../src/domain/event.js';
import { matchesFeedFilter, newestEventsOf } from '../../src/domain/feed-selection.js';

const component = (id: number, name: string, region: string, category: string): Component => ({
  id,
  name,
  attributes: [
    { name: 'region', value: region },
    { name: 'category', value: category },
  ],
});

const event = (id: number, startAt: number): StatusEvent => ({
  id,
  type: 'incident',
  title: `e${id}`,
  description: null,
  impact: 1,
  startAt,
  endAt: null,
  status: null,
  system: true,
  componentIds: [],
  updates: [],
  version: 1,
  creator: null,
  contactEmail: null,
});

describe('feed selection', () => {
  const ecs = component(1, 'ECS', 'EU-DE', 'Compute');
  it('matches when every given criterion holds', () => {
    assert.equal(matchesFeedFilter(ecs, {}), true);
    assert.equal(matchesFeedFilter(ecs, { region: 'EU-DE', category: 'Compute', component: 'ECS' }), true);
    assert.equal(matchesFeedFilter(ecs, { region: 'EU-DE', category: 'Storage' }), false);
    assert.equal(matchesFeedFilter(ecs, { component: 'OBS' }), false);
    assert.equal(matchesFeedFilter({ id: 2, name: 'X', attributes: [] }, { region: 'EU-DE' }), false);
  });

  it('takes the newest events by start, then id, once each, up to the limit', () => {
    const shared = event(3, 300);
    const byComponent = new Map([
      [1, [event(1, 100), shared, event(5, 300)]],
      [2, [shared, event(4, 400)]],
    ]);
    const chosen = newestEventsOf([1, 2], (id) => byComponent.get(id) ?? [], 3);
    assert.deepEqual(chosen.map((e) => e.id), [4, 5, 3]);
  });
});
