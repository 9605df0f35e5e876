// The write transaction: typed, and reused by nested calls instead of waiting for itself.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { writeAudit } from '../../src/storage/audit.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { databaseOf } from '../../src/storage/database-of.js';

const entry = (entityId: number) => ({ at: 1, actor: 'test', action: 'component.create', entity: 'component' as const, entityId, before: null, after: null });

describeEachDatabase('the write transaction', () => {
  it('runs a nested change in the open one (it held the lock already) instead of waiting for itself', { timeout: 10_000 }, async (t) => {
    const { store } = await createTestDatabase(t);
    const seenInside = await withWriteTransaction(store, async (outer) => {
      await writeAudit(outer.tx, [entry(1)]);
      return withWriteTransaction(store, async (inner) => {
        assert.equal(inner, outer, 'the same change');
        const rows = await inner.tx.selectFrom('audit_log').select('entity_id').execute();
        return rows.length;
      });
    });
    assert.equal(seenInside, 1, 'the nested call sees what the outer one wrote, not yet committed');
  });

  it('gives a call left behind by a finished change a transaction of its own', { timeout: 10_000 }, async (t) => {
    const { store } = await createTestDatabase(t);
    let later: Promise<number> | undefined;
    await withWriteTransaction(store, async (outer) => {
      await writeAudit(outer.tx, [entry(1)]);
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        withWriteTransaction(store, async (inner) => {
          assert.notEqual(inner, outer);
          return (await inner.tx.selectFrom('audit_log').select('entity_id').execute()).length;
        }),
      );
    });
    assert.equal(await later, 1);
  });

  it('takes only the transaction for a write (checked by the type checker)', async (t) => {
    const { store } = await createTestDatabase(t);
    // @ts-expect-error the store's own connection is not a write transaction: no lock, no version
    const outside = () => writeAudit(databaseOf(store), [entry(1)]);
    assert.equal(typeof outside, 'function');
  });
});
