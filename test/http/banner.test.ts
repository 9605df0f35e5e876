// Issue 19, item 5: the embeddable banner's JSON (/banner.json) and script (/banner.js).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

interface BannerAnswer {
  region: string | null;
  active: boolean;
  count: number;
  event: { id: number; title: string; type: string; impact: string; label: string; url: string } | null;
  status_url: string;
}

async function withCatalog(t: Parameters<typeof buildTestApp>[0], publicUrl?: string) {
  const api = await buildTestApp(t, publicUrl === undefined ? {} : { publicUrl });
  const [de, nl] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  return { api, de: de?.id ?? 0, nl: nl?.id ?? 0 };
}

async function banner(api: TestApp, query = '', headers: Record<string, string> = {}) {
  const response = await api.app.inject({ method: 'GET', url: `/banner.json${query}`, headers });
  return { status: response.statusCode, body: response.json<BannerAnswer>(), headers: response.headers };
}

describeEachDatabase('the banner\'s JSON (/banner.json)', () => {
  it('says nothing is active, then names the most severe active event of the cloud or of a region, with its page', async (t) => {
    const { api, de, nl } = await withCatalog(t, 'https://status.example.org');
    assert.deepEqual((await banner(api)).body, { region: null, active: false, count: 0, event: null, status_url: 'https://status.example.org/' });

    const maintenance = await createEvent(api.store, { type: 'maintenance', title: 'Hypervisor upgrade', impact: 0, startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [nl] });
    const opened = await api.postStatus({ name: 'Elastic Cloud Server', impact: 3, text: 'Instances do not start', attributes: [{ name: 'region', value: 'EU-DE' }] });
    const outage = opened.json<{ id: number }>().id;
    await createEvent(api.store, { type: 'info', title: 'A notice', impact: 0, startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [de] });

    const cloud = await banner(api);
    assert.equal(cloud.status, 200);
    assert.equal(cloud.headers['access-control-allow-origin'], '*');
    assert.deepEqual([cloud.body.active, cloud.body.count, cloud.body.event?.id, cloud.body.event?.impact, cloud.body.event?.label], [true, 2, outage, 'outage', 'Outage']);
    assert.equal(cloud.body.event?.url, `https://status.example.org/incidents/${outage}`);

    const region = await banner(api, '?region=EU-NL');
    assert.deepEqual(region.body, {
      region: 'EU-NL',
      active: true,
      count: 1,
      event: { id: maintenance, title: 'Hypervisor upgrade', type: 'maintenance', impact: 'maintenance', label: 'Maintenance', url: `https://status.example.org/incidents/${maintenance}` },
      status_url: 'https://status.example.org/?region=EU-NL',
    });

    // Past the maintenance's end, EU-NL is quiet again: the answer follows the clock.
    api.clock.advance(2 * HOUR);
    assert.deepEqual([(await banner(api, '?region=EU-NL')).body.active, (await banner(api)).body.count], [false, 1]);
  });

  it('refuses an unknown region and control characters with a 400 in JSON, and links to the request\'s own host without SD_PUBLIC_URL', async (t) => {
    const { api } = await withCatalog(t);
    for (const query of ['?region=Atlantis', '?region=eu-de', `?region=${'x'.repeat(300)}`, '?region=EU-DE%00', '?region=EU-DE%0A', '?region=']) {
      const refused = await banner(api, query);
      assert.equal(refused.status, 400, query);
      assert.equal(refused.body.active, undefined);
      assert.match(String(refused.headers['content-type']), /^application\/json/);
      assert.ok(!JSON.stringify(refused.body).includes('x'.repeat(101)), 'a long region is not echoed');
    }
    const answered = await banner(api, '?region=EU-DE', { host: 'status.example.net' });
    assert.equal(answered.body.status_url, 'http://status.example.net/?region=EU-DE');
  });
});

describeEachDatabase('the banner\'s script (/banner.js)', () => {
  it('is a script under 5 kB that browsers keep an hour and then revalidate', async (t) => {
    const { api } = await withCatalog(t);
    const script = await api.app.inject({ method: 'GET', url: '/banner.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.ok(script.rawPayload.length < 5 * 1024, `${script.rawPayload.length} bytes`);
    assert.equal(script.headers['cache-control'], 'public, max-age=3600');
    const again = await api.app.inject({ method: 'GET', url: '/banner.js', headers: { 'if-none-match': String(script.headers.etag) } });
    assert.equal(again.statusCode, 304);
  });
});
