import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventType } from '../../src/domain/event.js';
import { missingLifecycleEntries } from '../../src/domain/rules/lifecycle.js';

const window = (type: EventType, statuses: string[] = [], status: string | null = 'planned', endAt: number | null = 200) => ({
  type,
  status,
  startAt: 100,
  endAt,
  updates: statuses.map((s, id) => ({ id, status: s, text: '', at: 0, author: null })),
});

describe('lifecycle entries', () => {
  it('adds nothing before a window starts', () => assert.deepEqual(missingLifecycleEntries(window('maintenance', ['planned']), 99), []));
  it('marks a maintenance in progress at its start', () =>
    assert.deepEqual(missingLifecycleEntries(window('maintenance', ['planned']), 150), [{ status: 'in progress', text: 'Maintenance is in progress.', at: 100 }]));
  it('writes both entries, each at its moment, when both have passed', () =>
    assert.deepEqual(missingLifecycleEntries(window('maintenance', ['planned']), 250), [
      { status: 'in progress', text: 'Maintenance is in progress.', at: 100 },
      { status: 'completed', text: 'Maintenance is completed.', at: 200 },
    ]));
  it('writes each entry once', () => assert.deepEqual(missingLifecycleEntries(window('maintenance', ['planned', 'in progress', 'completed']), 250), []));
  it('uses the notice wording and leaves an open-ended notice active', () =>
    assert.deepEqual(missingLifecycleEntries(window('info', ['planned'], 'planned', null), 10_000), [{ status: 'active', text: 'The informational notification is active.', at: 100 }]));
  it('adds nothing to cancelled windows or incidents', () => {
    assert.deepEqual(missingLifecycleEntries(window('maintenance', ['planned'], 'cancelled'), 250), []);
    assert.deepEqual(missingLifecycleEntries(window('incident'), 250), []);
  });
});
