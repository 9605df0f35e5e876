import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventType } from '../../src/domain/event.js';
import { lifecycleChange } from '../../src/domain/rules/lifecycle.js';

const window = (type: EventType, statuses: string[] = [], status: string | null = 'planned', endAt: number | null = 200) => ({
  type,
  status,
  startAt: 100,
  endAt,
  updates: statuses.map((s, id) => ({ id, status: s, text: '', at: 0, author: null })),
});

const entries = (change: ReturnType<typeof lifecycleChange>) => change?.entries ?? [];

describe('lifecycle entries', () => {
  it('adds nothing before a window starts', () => assert.equal(lifecycleChange(window('maintenance', ['planned']), 99), undefined));
  it('marks a maintenance in progress at its start', () =>
    assert.deepEqual(lifecycleChange(window('maintenance', ['planned']), 150), { entries: [{ status: 'in progress', text: 'Maintenance is in progress.', at: 100 }] }));
  it('writes both entries, each at its moment, when both have passed', () =>
    assert.deepEqual(entries(lifecycleChange(window('maintenance', ['planned']), 250)), [
      { status: 'in progress', text: 'Maintenance is in progress.', at: 100 },
      { status: 'completed', text: 'Maintenance is completed.', at: 200 },
    ]));
  it('writes each entry once', () => assert.equal(lifecycleChange(window('maintenance', ['planned', 'in progress', 'completed']), 250), undefined));
  it('uses the notice wording and leaves an open-ended notice active', () =>
    assert.deepEqual(entries(lifecycleChange(window('info', ['planned'], 'planned', null), 10_000)), [{ status: 'active', text: 'The informational notification is active.', at: 100 }]));
  it('adds nothing to cancelled windows or incidents', () => {
    assert.equal(lifecycleChange(window('maintenance', ['planned'], 'cancelled'), 250), undefined);
    assert.equal(lifecycleChange(window('incident'), 250), undefined);
  });
});

describe('lifecycle of the maintenance review (issue 17)', () => {
  it('leaves a proposal alone, even once its window has passed: nobody approved it', () =>
    assert.equal(lifecycleChange(window('maintenance', ['pending_review'], 'pending_review'), 250), undefined));
  it('plans an approved maintenance, now, before its window starts', () =>
    assert.deepEqual(lifecycleChange(window('maintenance', ['pending_review', 'reviewed'], 'reviewed'), 50), {
      status: 'planned',
      entries: [{ status: 'planned', text: 'Maintenance is approved and planned.', at: 50 }],
    }));
  it('plans an approved maintenance whose window has started, and marks it in progress at its start', () =>
    assert.deepEqual(lifecycleChange(window('maintenance', ['pending_review', 'reviewed'], 'reviewed'), 150), {
      status: 'planned',
      entries: [
        { status: 'planned', text: 'Maintenance is approved and planned.', at: 150 },
        { status: 'in progress', text: 'Maintenance is in progress.', at: 100 },
      ],
    }));
});
