// Two server processes on one database behave as one (spec §6): overlapping posts from many
// clients never duplicate an incident or lose a component, and no instance serves a stale read.
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

const SECRET = 'two-instances-secret';
const COMPONENTS = ['Compute', 'Storage', 'Network', 'Database', 'DNS', 'Queue'];
const REGIONS = ['EU-1', 'EU-2'];

describeEachDatabase('two server processes on one database', () => {
  it('answers 240 overlapping posts from 24 clients with 201 or 409 and keeps the incidents consistent', { timeout: 120_000 }, async (t) => {
    const folder = tempFolder(t, 'two');
    const { url: databaseUrl } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const catalog = join(folder, 'catalog.yaml');
    writeFileSync(
      catalog,
      `components:\n${REGIONS.flatMap((region) => COMPONENTS.map((name) => `  - name: ${name}\n    attributes: {region: ${region}, category: Core, type: x}\n`)).join('')}`,
    );
    const env = { SD_DATABASE_URL: databaseUrl, SD_SECRET_KEY: SECRET, SD_CATALOG: catalog, SD_DATA_DIR: folder };
    // Both start at once: migrations and the catalog sync race too.
    const instances = await Promise.all([startServerProcess(t, env), startServerProcess(t, env)]);
    const token = await signApiToken({ secretKey: SECRET, payloadKey: 'stackmon' }, { subject: 'race' });

    const statuses: number[] = [];
    const staleReads: string[] = [];
    const client = async (clientIndex: number) => {
      for (let round = 0; round < 10; round++) {
        const n = clientIndex * 10 + round;
        const name = COMPONENTS[n % COMPONENTS.length] as string;
        const region = REGIONS[Math.floor(n / COMPONENTS.length) % REGIONS.length] as string;
        // Impacts rise over the rounds, with overlaps: the same component is reported by several clients.
        const impact = Math.min(3, 1 + Math.floor((round + (clientIndex % 3)) / 4));
        const [writer, reader] = n % 2 === 0 ? instances : [...instances].reverse();
        const response = await fetch(`${writer?.url}/api/v1/component_status`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name, impact, attributes: [{ name: 'region', value: region }], text: `${name} degraded` }),
        });
        statuses.push(response.status);
        const body = (await response.json()) as { id?: number; existingIncidentId?: number };
        const id = body.id ?? body.existingIncidentId;
        // The write has returned: the other instance must already know the incident.
        const seen = (await (await fetch(`${reader?.url}/api/v1/incidents`)).json()) as { id: number }[];
        if (!seen.some((incident) => incident.id === id)) staleReads.push(`incident ${id} missing on the other instance`);
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, index) => client(index)));

    assert.equal(statuses.length, 240);
    const unexpected = statuses.filter((status) => status !== 201 && status !== 409);
    assert.deepEqual(unexpected, []);
    assert.deepEqual(staleReads, []);
    const store = openStore(databaseUrl);
    t.after(() => store.close());
    const { activeSystemIncidents } = await assertIncidentInvariants(store, Date.now());
    assert.ok(activeSystemIncidents >= 1 && activeSystemIncidents <= 3);
    const components = await databaseOf(store).selectFrom('component').select('id').execute();
    assert.equal(components.length, COMPONENTS.length * REGIONS.length, 'the racing catalog syncs created each component once');
  });
});
