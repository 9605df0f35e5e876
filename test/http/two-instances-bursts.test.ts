// Bursts of monitoring reports to two server processes on one database (finding 3 of issue 15):
// each round, every component of a region is reported at once, half to each instance. However
// the two interleave, the round must end with one active system incident per impact and every
// component in exactly one of them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { signApiToken } from '../../src/auth/api-tokens.js';
import { openStore } from '../../src/storage/store.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { assertIncidentInvariants } from '../helpers/invariants.js';
import { startServerProcess } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { databaseOf } from '../../src/storage/database-of.js';

const SECRET = 'two-instances-bursts-secret';
const COMPONENTS = Array.from({ length: 24 }, (_, index) => `Service ${index + 1}`);
const ROUNDS = 20;

describeEachDatabase('bursts of reports to two server processes', () => {
  it(`opens one incident per impact and loses no component, in each of ${ROUNDS} rounds`, { timeout: 300_000 }, async (t) => {
    const folder = tempFolder(t, 'bursts');
    const { url: databaseUrl } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const catalog = join(folder, 'catalog.yaml');
    writeFileSync(catalog, `components:\n${COMPONENTS.map((name) => `  - name: ${name}\n    attributes: {region: EU-1, category: Core, type: x}\n`).join('')}`);
    const env = { SD_DATABASE_URL: databaseUrl, SD_SECRET_KEY: SECRET, SD_CATALOG: catalog, SD_DATA_DIR: folder };
    const instances = await Promise.all([startServerProcess(t, env), startServerProcess(t, env)]);
    const token = await signApiToken({ secretKey: SECRET, payloadKey: 'stackmon' }, { subject: 'bursts' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const store = openStore(databaseUrl);
    t.after(() => store.close());

    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Half the components at impact 1, the other half at 1 then 2: opens, joins and moves race.
      const posts = COMPONENTS.flatMap((name, index) => {
        const impacts = index % 2 === 0 ? [1] : [1, 2];
        return impacts.map((impact, step) => ({ name, impact, instance: instances[(index + step + round) % 2], step }));
      });
      const post = ({ name, impact, instance }: (typeof posts)[number]) =>
        fetch(`${instance?.url}/api/v1/component_status`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name, impact, attributes: [{ name: 'region', value: 'EU-1' }], text: `round ${round}` }),
        }).then((response) => response.status);
      const statuses = [
        ...(await Promise.all(posts.filter((p) => p.step === 0).map(post))),
        ...(await Promise.all(posts.filter((p) => p.step === 1).map(post))),
      ];
      const unexpected = statuses.filter((status) => status !== 201 && status !== 409);
      if (unexpected.length > 0) failures.push(`round ${round}: answers ${unexpected.join(', ')}`);
      try {
        await assertIncidentInvariants(store, Date.now());
      } catch (error) {
        failures.push(`round ${round}: ${(error as Error).message}`);
      }
      const active = await databaseOf(store)
        .selectFrom('event as e')
        .innerJoin('event_component as l', 'l.event_id', 'e.id')
        .select(['e.id', 'l.component_id'])
        .where('e.type', '=', 'incident')
        .where('e.end_at', 'is', null)
        .execute();
      const covered = new Set(active.map((row) => Number(row.component_id)));
      if (covered.size !== COMPONENTS.length) failures.push(`round ${round}: ${COMPONENTS.length - covered.size} components in no incident`);
      // Resolve the round's incidents as people would, through API v2.
      for (const id of new Set(active.map((row) => Number(row.id)))) {
        const response = await fetch(`${instances[0]?.url}/api/v2/events/${id}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ status: 'resolved', message: 'Recovered.', update_date: new Date().toISOString() }),
        });
        assert.equal(response.status, 200, await response.text());
      }
    }
    assert.deepEqual(failures, []);
  });
});
