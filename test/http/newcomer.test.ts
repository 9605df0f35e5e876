// The README's first steps: start with the example catalog, mint a token, post the seed's example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { runCliProcess, startServerProcess } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';

const EXAMPLE_CATALOG = fileURLToPath(new URL('../../examples/catalog.yaml', import.meta.url));

describeEachDatabase(`a newcomer's first run`, () => {
  it('serves the example catalog and opens an incident for the seed’s curl example', { timeout: 60_000 }, async (t) => {
    const folder = tempFolder(t, 'new');
    const { url: databaseUrl } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const env = { SD_DATABASE_URL: databaseUrl, SD_DATA_DIR: folder, SD_CATALOG: EXAMPLE_CATALOG, SD_LOG_LEVEL: 'info' };
    const server = await startServerProcess(t, env);

    const components = (await (await fetch(`${server.url}/api/v1/component_status`)).json()) as { attributes: { name: string }[] }[];
    assert.ok(components.length >= 60, `example catalog has ${components.length} components`);
    for (const component of components) {
      assert.deepEqual(component.attributes.map((a) => a.name).sort(), ['category', 'region', 'type']);
    }

    const { code, stdout, stderr } = await runCliProcess(['token'], env);
    assert.equal(code, 0, stderr);
    const response = await fetch(`${server.url}/api/v1/component_status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stdout.trim()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ impact: 'minor', name: 'Elastic Cloud Server', attributes: [{ name: 'region', value: 'EU-DE' }] }),
    });
    assert.equal(response.status, 201);
    const incident = (await response.json()) as { id: number; impact: number; end_date: null };
    assert.equal(incident.impact, 1);
    assert.equal(incident.end_date, null);

    const log = server.output();
    assert.match(log, /npx status-dashboard token/);
    const secret = readFileSync(join(folder, 'secret-key'), 'utf8').trim();
    assert.ok(!log.includes(secret), 'the log never shows the secret key');
    assert.ok(!log.includes(stdout.trim()), 'the log never shows a token');
  });
});
