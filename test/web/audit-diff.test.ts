import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedFields } from '../../src/web/audit-diff.js';

describe('audit diff', () => {
  it('keeps only the fields whose values differ, whatever order nested keys were written in', () => {
    const before = { title: 'Slow', impact: 1, where: { region: 'EU-DE', zone: 'a' } };
    const after = { title: 'Slow', impact: 2, where: { zone: 'a', region: 'EU-DE' } };
    assert.deepEqual(changedFields(before, after), [{ field: 'impact', before: '1', after: '2' }]);
  });

  it('shows every field of a creation or a removal, the missing side left out', () => {
    assert.deepEqual(changedFields(null, { name: 'ECS', tags: ['a'] }), [
      { field: 'name', after: '"ECS"' },
      { field: 'tags', after: '[\n  "a"\n]' },
    ]);
    assert.deepEqual(changedFields({ username: 'bob' }, null), [{ field: 'username', before: '"bob"' }]);
  });

  it('compares values that are not records as a whole', () => {
    assert.deepEqual(changedFields(null, [{ status: 'resolved' }]), [{ field: '', after: '[\n  {\n    "status": "resolved"\n  }\n]' }]);
    assert.deepEqual(changedFields('a', 'a'), []);
    assert.deepEqual(changedFields({ a: 1 }, { a: 1 }), []);
  });
});
