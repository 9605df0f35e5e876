import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bannerJson, bannerOf } from '../../src/domain/banner.js';
import type { Component } from '../../src/domain/component.js';
import type { StatusEvent } from '../../src/domain/event.js';
import { statusOverview } from '../../src/domain/status-overview.js';
import { HOUR } from '../helpers/clock.js';
import { statusEvent, TEST_NOW } from '../helpers/events.js';

const now = TEST_NOW;

const component = (id: number, region: string): Component => ({ id, name: `Service ${id}`, attributes: [{ name: 'region', value: region }, { name: 'category', value: 'Compute' }] });
const catalog = [component(1, 'EU-DE'), component(2, 'EU-NL'), component(3, 'EU-NL')];

const event = (fields: Partial<StatusEvent>) => statusEvent({ componentIds: [1], ...fields });
const bannerFor = (events: StatusEvent[], region?: string) => bannerOf(statusOverview(catalog, events, now), region);
const titles = (events: StatusEvent[]) => events.map((each) => each.title);

describe('bannerOf', () => {
  it('puts incidents before maintenances, the higher impact first, then the earliest; notices, planned and ended events are left out', () => {
    const events = [
      event({ title: 'maintenance', type: 'maintenance', impact: 0, componentIds: [2], startAt: now - 3 * HOUR, endAt: now + HOUR }),
      event({ title: 'minor', impact: 1, startAt: now - 4 * HOUR }),
      event({ title: 'major, later', impact: 2, componentIds: [2], startAt: now - HOUR }),
      event({ title: 'major, earlier', impact: 2, componentIds: [3], startAt: now - 2 * HOUR }),
      event({ title: 'notice', type: 'info', impact: 0, startAt: now - HOUR, endAt: now + HOUR }),
      event({ title: 'planned', type: 'maintenance', impact: 0, startAt: now + HOUR, endAt: now + 2 * HOUR }),
      event({ title: 'ended', impact: 3, startAt: now - 2 * HOUR, endAt: now - HOUR }),
      event({ title: 'cancelled', type: 'maintenance', impact: 0, status: 'cancelled', startAt: now - HOUR, endAt: now + HOUR }),
    ];
    assert.deepEqual(titles(bannerFor(events).events), ['major, earlier', 'major, later', 'minor', 'maintenance']);
    assert.deepEqual(titles(bannerFor(events, 'EU-NL').events), ['major, earlier', 'major, later', 'maintenance'], 'a region: the events of its components');
    assert.deepEqual(titles(bannerFor(events, 'EU-DE').events), ['minor']);
    assert.deepEqual(bannerFor([event({ type: 'info', impact: 0, endAt: now + HOUR })]).events, [], 'a notice alone raises no banner');
  });
});

describe('bannerJson', () => {
  it('names the most severe event with its label and page, and the status page of the scope', () => {
    const outage = event({ title: 'Instances <b>down</b>', impact: 3, componentIds: [2] });
    const json = bannerJson(bannerFor([outage, event({ title: 'minor', componentIds: [3] })], 'EU-NL'), 'https://status.example');
    assert.deepEqual(json, {
      region: 'EU-NL',
      active: true,
      count: 2,
      event: { id: outage.id, title: 'Instances <b>down</b>', type: 'incident', impact: 'outage', label: 'Outage', url: `https://status.example/incidents/${outage.id}` },
      status_url: 'https://status.example/?region=EU-NL',
    });
    const maintenance = bannerJson(bannerFor([event({ type: 'maintenance', impact: 0, endAt: now + HOUR })]), 'https://status.example');
    assert.deepEqual([maintenance.event?.impact, maintenance.event?.label], ['maintenance', 'Maintenance']);
    assert.deepEqual(bannerJson(bannerFor([]), 'https://status.example'), { region: null, active: false, count: 0, event: null, status_url: 'https://status.example/' });
    assert.equal(bannerJson({ region: 'A&B', events: [] }, 'https://s').status_url, 'https://s/?region=A%26B');
  });
});
