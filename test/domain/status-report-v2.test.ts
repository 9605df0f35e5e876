// The v2 policy of the one rules module: only the differences from v1 (reference v3 §2, §3.4.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import { decideStatusReport, DEFAULT_SYSTEM_DESCRIPTION, V1_POLICY, V2_POLICY, type EventView } from '../../src/domain/rules/status-report.js';
import { renderMessage, type Message } from '../../src/domain/texts.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const cce: Component = { id: 1, name: 'CCE', attributes: [{ name: 'region', value: 'EU-DE' }, { name: 'category', value: 'Container' }, { name: 'type', value: 'cce' }] };
const dns: Component = { id: 2, name: 'DNS', attributes: [{ name: 'region', value: 'EU-DE' }, { name: 'category', value: 'Network' }, { name: 'type', value: 'dns' }] };
const incident = (id: number, impact: 1 | 2 | 3, componentIds: number[], extra: Partial<EventView> = {}): EventView => ({
  id,
  type: 'incident',
  title: `I${id}`,
  impact,
  system: true,
  startAt: NOW - 1000,
  endAt: null,
  componentIds,
  ...extra,
});
const render = (message: Message) => renderMessage(message, (ref) => (ref === 'new' ? 99 : ref.id));

describe('decideStatusReport under the v2 policy', () => {
  it('lets an incident people run keep its components even at a higher requested impact', () => {
    const manual = incident(5, 1, [1], { system: false });
    assert.deepEqual(decideStatusReport([manual], { component: cce, impact: 3 }, NOW, V2_POLICY), { outcome: 'conflict', eventId: 5, title: 'I5', component: 'CCE (Container, EU-DE, cce)' });
    assert.equal(decideStatusReport([manual], { component: cce, impact: 3 }, NOW, V1_POLICY).outcome, 'changed');
  });

  it('opens with the report’s start, a description and a detected entry', () => {
    const decision = decideStatusReport([], { component: cce, impact: 2, title: 'T', startAt: NOW - 5000 }, NOW, V2_POLICY);
    assert.deepEqual(decision, {
      outcome: 'changed',
      result: 'new',
      changes: [
        { op: 'open', title: 'T', impact: 2, startAt: NOW - 5000, description: DEFAULT_SYSTEM_DESCRIPTION, detected: true },
        { op: 'link', event: 'new', componentId: 1 },
      ],
    });
  });

  it('notes a joining component with the incident’s status and the Go wording', () => {
    const decision = decideStatusReport([incident(7, 2, [1], { status: 'fixing' })], { component: dns, impact: 2 }, NOW, V2_POLICY);
    assert.equal(decision.outcome, 'changed');
    const note = decision.outcome === 'changed' ? decision.changes[1] : undefined;
    assert.ok(note?.op === 'note');
    assert.equal(note.status, 'fixing');
    assert.equal(render(note.message), 'DNS (Network, EU-DE, dns) added to the incident by system.');
  });

  it('writes numeric impact changes', () => {
    const decision = decideStatusReport([incident(7, 1, [1])], { component: cce, impact: 3 }, NOW, V2_POLICY);
    const note = decision.outcome === 'changed' ? decision.changes[0] : undefined;
    assert.ok(note?.op === 'note');
    assert.equal(render(note.message), 'impact changed from 1 to 3');
  });

  it('closes an emptied incident with one resolved entry instead of two', () => {
    const decision = decideStatusReport([incident(7, 1, [1]), incident(8, 2, [2])], { component: cce, impact: 2 }, NOW, V2_POLICY);
    assert.ok(decision.outcome === 'changed');
    const onSource = decision.changes.filter((change) => change.op === 'note' && change.event !== 'new' && change.event.id === 7);
    assert.equal(onSource.length, 1);
    const [closing] = onSource;
    assert.ok(closing?.op === 'note');
    assert.equal(closing.status, 'resolved');
    assert.equal(render(closing.message), "CCE (Container, EU-DE, cce) moved to <a href='/incidents/8'>I8</a>, Incident closed by system");
    assert.ok(decision.changes.some((change) => change.op === 'close' && change.eventId === 7));
  });

  it('is not shielded by a cancelled maintenance whose window is still open', () => {
    const cancelled: EventView = { ...incident(9, 1, [1]), type: 'maintenance', impact: 0, system: false, status: 'cancelled', endAt: NOW + 1000 };
    for (const policy of [V1_POLICY, V2_POLICY]) {
      assert.equal(decideStatusReport([cancelled], { component: cce, impact: 1 }, NOW, policy).outcome, 'changed');
      assert.deepEqual(decideStatusReport([{ ...cancelled, status: 'in progress' }], { component: cce, impact: 1 }, NOW, policy), { outcome: 'shielded', eventId: 9 });
    }
  });
});
