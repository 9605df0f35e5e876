/**
 * `npm run screenshots`: the pictures of the README (docs/*.png). Starts the dashboard in this
 * process on a throw-away SQLite database with the example catalog, lets monitoring and an
 * operator open a few events through the public APIs, and photographs the pages in Debian's
 * Chromium at desktop and phone width.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { signApiToken } from '../src/auth/api-tokens.js';
import { buildApp } from '../src/http/app.js';
import { ReadModel } from '../src/read-model/read-model.js';
import { syncCatalogFile } from '../src/runtime/catalog-file.js';
import { migrateToLatest, openStore } from '../src/storage/store.js';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const docsDir = join(projectDir, 'docs');
const HOUR = 3_600_000;
const keys = { secretKey: 'screenshots', payloadKey: 'stackmon' };

const dataDir = mkdtempSync(join(tmpdir(), 'sd-screenshots-'));
const store = openStore(`sqlite:${join(dataDir, 'status.db')}`);
await migrateToLatest(store);
// The catalog as if synced 120 days ago, so that the uptime bars have 90 days of data.
const components = await syncCatalogFile(store, join(projectDir, 'examples', 'catalog.yaml'), Date.now() - 120 * 24 * HOUR, 'system:catalog');
const app = await buildApp({ store, readModel: new ReadModel(store), clock: () => Date.now(), apiTokens: keys, logLevel: 'warn' });
const authorization = `Bearer ${await signApiToken(keys, { subject: 'screenshots' })}`;

async function call(method: 'POST' | 'PATCH', url: string, payload: object): Promise<unknown> {
  const response = await app.inject({ method, url, headers: { authorization }, payload });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}
const idOf = (name: string, region: string) => {
  const found = components.created.find((component) => component.name === name && component.attributes.some((a) => a.name === 'region' && a.value === region));
  if (!found) throw new Error(`${name} in ${region} is not in the example catalog`);
  return found.id;
};
const iso = (at: number) => new Date(at).toISOString();
const now = Date.now();

// Monitoring finds two problems in EU-DE; an operator explains one of them.
await call('POST', '/api/v1/component_status', { name: 'Object Storage Service', impact: 2, text: 'Object storage errors', attributes: [{ name: 'region', value: 'EU-DE' }] });
const incident = (await call('POST', '/v2/events', {
  title: 'Elevated API error rates for Elastic Cloud Server',
  impact: 3,
  type: 'incident',
  start_date: iso(now - HOUR),
  description: 'Creating and resizing servers fails for some requests.',
  components: [idOf('Elastic Cloud Server', 'EU-DE'), idOf('Auto Scaling', 'EU-DE')],
})) as { result: { incident_id: number }[] };
await call('PATCH', `/v2/events/${incident.result[0]?.incident_id}`, {
  status: 'fixing',
  message: 'A faulty configuration change was found and is being rolled back.',
  update_date: iso(now),
});
await call('POST', '/v2/events', {
  title: 'Database engine upgrade',
  impact: 0,
  type: 'maintenance',
  start_date: iso(now - HOUR),
  end_date: iso(now + 2 * HOUR),
  description: 'Instances restart once, for about a minute, during the window.',
  components: [idOf('Relational Database Service', 'EU-NL')],
});
await call('POST', '/v2/events', {
  title: 'Network hardware replacement',
  impact: 0,
  type: 'maintenance',
  start_date: iso(now + 26 * HOUR),
  end_date: iso(now + 28 * HOUR),
  description: 'No interruption is expected.',
  components: [idOf('Virtual Private Cloud', 'EU-DE')],
});

/** An incident in the past, resolved `hours` after it began, on Elastic Volume Service in EU-DE. */
async function pastIncident(title: string, impact: number, daysAgo: number, hours: number, message: string): Promise<void> {
  const start = now - daysAgo * 24 * HOUR;
  const opened = (await call('POST', '/v2/events', { title, impact, type: 'incident', start_date: iso(start), components: [idOf('Elastic Volume Service', 'EU-DE')] })) as { result: { incident_id: number }[] };
  await call('PATCH', `/v2/events/${opened.result[0]?.incident_id}`, { status: 'resolved', message, update_date: iso(start + hours * HOUR) });
}

// Last month's outage, for the history, the availability table and the bars; a slow spell over two days before it.
await pastIncident('Block storage unavailable', 3, 30, 5, 'A failed storage controller was replaced; all volumes are available again.');
await pastIncident('Slow volume attachment', 1, 60, 30, 'Attaching volumes is fast again.');

await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: process.env.SD_TEST_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const shots = [
    { file: 'status-desktop.png', path: '/', viewport: { width: 1440, height: 900 }, colorScheme: 'light', fullPage: true },
    { file: 'status-phone.png', path: '/', viewport: { width: 360, height: 780 }, colorScheme: 'light', fullPage: false },
    { file: 'status-phone-dark.png', path: '/', viewport: { width: 360, height: 780 }, colorScheme: 'dark', fullPage: false },
    // A day's text, as keyboard focus opens it.
    { file: 'uptime-tooltip.png', path: '/?region=EU-DE', viewport: { width: 720, height: 900 }, colorScheme: 'light', fullPage: false, focus: '.uptime-days li.ou' },
    { file: 'history-desktop.png', path: '/history', viewport: { width: 1440, height: 900 }, colorScheme: 'light', fullPage: false },
    { file: 'availability-desktop.png', path: '/availability?region=EU-DE', viewport: { width: 1440, height: 900 }, colorScheme: 'light', fullPage: false },
    { file: 'service-desktop.png', path: `/components/${idOf('Elastic Volume Service', 'EU-DE')}`, viewport: { width: 1440, height: 900 }, colorScheme: 'light', fullPage: true },
    { file: 'service-phone-dark.png', path: `/components/${idOf('Elastic Volume Service', 'EU-DE')}`, viewport: { width: 360, height: 780 }, colorScheme: 'dark', fullPage: false },
    { file: 'incident-desktop.png', path: `/incidents/${incident.result[0]?.incident_id}`, viewport: { width: 1440, height: 900 }, colorScheme: 'light', fullPage: false },
  ] as const;
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: shot.viewport, colorScheme: shot.colorScheme, locale: 'en-GB', timezoneId: 'Europe/Berlin', deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${url}${shot.path}`);
    if ('focus' in shot) {
      const cell = page.locator(shot.focus).first();
      await cell.focus();
      await cell.scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: join(docsDir, shot.file), fullPage: shot.fullPage });
    await context.close();
    console.log(`docs/${shot.file}`);
  }
} finally {
  await browser.close();
  await app.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
