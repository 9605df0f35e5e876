// The write transaction: typed, and reused by nested calls instead of waiting for itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

it('leaves no process-wide promise tracking behind once the change is over', { timeout: 20_000 }, () => {
  // While any AsyncLocalStorage is enabled, every promise of the process carries a context (it
  // cost each page read about a tenth of its CPU): the continuation of an await then runs in a
  // Promise resource. The test runner keeps one enabled, so this looks from a process of its own.
  const script = `
    import { executionAsyncResource } from 'node:async_hooks';
    import { migrateToLatest, openStore } from ${JSON.stringify(new URL('../../src/storage/store.ts', import.meta.url).href)};
    import { withWriteTransaction } from ${JSON.stringify(new URL('../../src/storage/write-transaction.ts', import.meta.url).href)};
    const tracked = async () => { await null; return executionAsyncResource() instanceof Promise; };
    const store = openStore('sqlite::memory:');
    await migrateToLatest(store);
    const inside = await withWriteTransaction(store, () => tracked());
    console.log(JSON.stringify({ inside, after: await tracked() }));
    await store.close();`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(output), { inside: true, after: false }, 'tracked inside a change (nested calls find it), not after');
});
