// On a SQLite file, snapshot reads (the read model's catch-up) use a read-only connection of
// their own: they never wait behind a write transaction on the connection writes use (a burst of
// reports, the notifications' bookkeeping), and they see every committed change.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadChangesSince } from '../../src/storage/changes.js';
import { createTestDatabase, holdWriteLock, SQLITE } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { tempFolder } from '../helpers/temp-folder.js';

describe('sqlite: snapshot reads on a connection of their own', () => {
  it('reads the committed state while a write transaction holds the writers’ connection', async (t) => {
    const folder = tempFolder(t, 'reader');
    const { store } = await createTestDatabase(t, { file: join(folder, 'status.db'), database: SQLITE });
    await createComponents(store, { Compute: { region: 'EU-DE', category: 'Compute', type: 'ecs' } });
    const lock = holdWriteLock(store);
    t.after(() => lock.release());
    await sleep(50);
    const read = await Promise.race([loadChangesSince(store, -1), sleep(2_000).then(() => 'waited' as const)]);
    assert.notEqual(read, 'waited', 'the read waited for the write transaction');
    assert.deepEqual(read === 'waited' ? [] : read.components.map((component) => component.name), ['Compute']);
    lock.release();
    await lock.done;
  });
});
