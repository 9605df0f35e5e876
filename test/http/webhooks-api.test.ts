// Issue 18: webhooks through API v2, for operators and admins: the secret shown once and never
// again, recent deliveries, enable and disable, "send test", removal, every change audited; URLs
// that lead to loopback, private or link-local addresses refused unless SD_WEBHOOK_ALLOW_PRIVATE.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { roleFixture } from '../helpers/roles.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The role fixture, with DELETE too. */
async function fixture(t: Parameters<typeof roleFixture>[0]) {
  const roles = await roleFixture(t);
  const as = (token: string, method: Method, url: string, payload?: unknown) =>
    roles.api.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { ...roles, as };
}

interface WebhookJson {
  id: number;
  url: string;
  format: string;
  scope: unknown;
  scope_description: string;
  enabled: boolean;
  disabled_reason?: string;
  failing_since?: string;
  created_by: string;
  created_at: string;
  secret?: string;
  deliveries?: { id: number; kind: string; state: string; attempts: number; next_attempt_at?: string; last_error?: string }[];
}

const HOOK = 'http://127.0.0.1:9/hook';

describeEachDatabase('webhooks through API v2 (issue 18)', () => {
  it('lets operators add one (the secret shown once), read it with its deliveries, disable, enable, test and remove it, each change audited', async (t) => {
    const { api, as, tokens } = await fixture(t);
    const created = await as(tokens.olivia, 'POST', '/api/v2/webhooks', { url: HOOK, format: 'slack', scope: { place: { kind: 'region', region: 'EU-DE' } } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers['cache-control'], 'private, no-store');
    const webhook = created.json<WebhookJson>();
    assert.match(webhook.secret ?? '', /^whsec_[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(
      { ...webhook, secret: undefined, created_at: undefined },
      {
        id: webhook.id,
        url: HOOK,
        format: 'slack',
        scope: { place: { kind: 'region', region: 'EU-DE' }, incidents: 1, maintenances: true, notices: true },
        scope_description: 'All incidents, maintenances and notices in EU-DE',
        enabled: true,
        created_by: 'api:olivia',
        secret: undefined,
        created_at: undefined,
      },
    );
    assert.equal(webhook.created_at, new Date(api.clock.now).toISOString());

    // The secret never shows again: not in the list, not in one webhook, not in the audit log.
    const list = await as(tokens.ada, 'GET', '/v2/webhooks');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json<WebhookJson[]>().map((item) => item.id), [webhook.id]);
    const one = await as(tokens.olivia, 'GET', `/api/v2/webhooks/${webhook.id}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json<WebhookJson>().deliveries, []);
    for (const body of [list.body, one.body]) assert.ok(!body.includes(webhook.secret ?? 'x') && !body.includes('secret'), body);

    const disabled = await as(tokens.olivia, 'PATCH', `/api/v2/webhooks/${webhook.id}`, { enabled: false });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json<WebhookJson>().enabled, false);
    assert.equal(disabled.json<WebhookJson>().disabled_reason, 'disabled by an operator');
    const enabled = await as(tokens.olivia, 'PATCH', `/api/v2/webhooks/${webhook.id}`, { enabled: true });
    assert.equal(enabled.json<WebhookJson>().enabled, true);
    assert.equal(enabled.json<WebhookJson>().disabled_reason, undefined);

    const test = await api.app.inject({ method: 'POST', url: `/api/v2/webhooks/${webhook.id}/test`, headers: { authorization: api.auth } });
    assert.equal(test.statusCode, 202, test.body);
    const { delivery_id: deliveryId } = test.json<{ delivery_id: number }>();
    const [delivery] = (await as(tokens.olivia, 'GET', `/api/v2/webhooks/${webhook.id}`)).json<WebhookJson>().deliveries ?? [];
    assert.deepEqual(delivery, { id: deliveryId, kind: 'test', state: 'pending', attempts: 0, next_attempt_at: new Date(api.clock.now).toISOString(), created_at: new Date(api.clock.now).toISOString() });

    const removed = await as(tokens.olivia, 'DELETE', `/api/v2/webhooks/${webhook.id}`);
    assert.equal(removed.statusCode, 204);
    assert.equal(removed.body, '');
    for (const [method, url] of [
      ['GET', `/api/v2/webhooks/${webhook.id}`],
      ['DELETE', `/api/v2/webhooks/${webhook.id}`],
      ['POST', `/api/v2/webhooks/${webhook.id}/test`],
    ] as const) {
      const gone = await as(tokens.olivia, method, url);
      assert.equal(gone.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(gone.json(), { errMsg: 'webhook does not exist' });
    }
    const gonePatch = await as(tokens.olivia, 'PATCH', `/api/v2/webhooks/${webhook.id}`, { enabled: true });
    assert.equal(gonePatch.statusCode, 404);

    const audit = (await listAuditLog(api.store, { entity: 'webhook' })).entries.reverse();
    assert.deepEqual(
      audit.map((entry) => [entry.action, entry.actor, entry.entityId]),
      [
        ['webhook.create', 'api:olivia', webhook.id],
        ['webhook.disable', 'api:olivia', webhook.id],
        ['webhook.enable', 'api:olivia', webhook.id],
        ['webhook.remove', 'api:olivia', webhook.id],
      ],
    );
    assert.deepEqual(audit[0]?.after, { url: HOOK, format: 'slack', scope: webhook.scope, enabled: true });
    assert.ok(!JSON.stringify(audit).includes(webhook.secret ?? 'x'), 'no secret in the audit log');
  });

  it('is for operators and admins: no token or a reader is 401, a creator 403, on every route', async (t) => {
    const { api, as, tokens } = await fixture(t);
    const created = await as(tokens.ada, 'POST', '/api/v2/webhooks', { url: HOOK });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json<WebhookJson>().id;
    const routes = [
      ['GET', '/api/v2/webhooks', undefined],
      ['POST', '/api/v2/webhooks', { url: HOOK }],
      ['GET', `/api/v2/webhooks/${id}`, undefined],
      ['PATCH', `/api/v2/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/api/v2/webhooks/${id}`, undefined],
      ['POST', `/api/v2/webhooks/${id}/test`, undefined],
    ] as const;
    for (const [method, url, payload] of routes) {
      const anonymous = await api.app.inject({ method, url, ...(payload ? { payload } : {}) });
      assert.equal(anonymous.statusCode, 401, `${method} ${url}`);
      assert.deepEqual(anonymous.json(), { errMsg: 'not authenticated' });
      assert.equal((await as(tokens.rita, method, url, payload)).statusCode, 401, `reader: ${method} ${url}`);
      const creator = await as(tokens.carol, method, url, payload);
      assert.equal(creator.statusCode, 403, `creator: ${method} ${url}`);
      assert.deepEqual(creator.json(), { errMsg: 'access is denied: this needs the operator role' });
    }
    const still = await as(tokens.ada, 'GET', '/api/v2/webhooks');
    assert.deepEqual(still.json<WebhookJson[]>().map((webhook) => [webhook.id, webhook.enabled]), [[id, true]], 'nothing changed');
    assert.equal((await listAuditLog(api.store, { entity: 'webhook' })).entries.length, 1);
  });

  it('refuses bodies and ids that break the rules with 400 and a message, and stores nothing', async (t) => {
    const { as, tokens, compute } = await fixture(t);
    const cases: [unknown, string][] = [
      [{}, 'body/url is required'],
      [{ url: 'ftp://example.com/hook' }, 'url refused: only http:// and https:// URLs'],
      [{ url: 'not a url' }, 'url refused: not a URL'],
      [{ url: 'https://user:pass@example.com/hook' }, 'url refused: no user or password in the URL (put a token in its path or query)'],
      [{ url: 'https://example.com/hook#part' }, 'url refused: no #fragment'],
      [{ url: HOOK, format: 'xml' }, 'body/format must be equal to one of the allowed values'],
      [{ url: HOOK, scope: { place: { kind: 'region' } } }, 'scope has invalid format: place needs region (kind region), category (kind category) or componentIds (kind components)'],
      [{ url: HOOK, scope: { place: { kind: 'region', region: 'EU-XX' } } }, 'no component is in region EU-XX'],
      [{ url: HOOK, scope: { place: { kind: 'category', category: 'Compute', region: 'EU-NL' } } }, 'no component is in category Compute in region EU-NL'],
      [{ url: HOOK, scope: { place: { kind: 'components', componentIds: [9999] } } }, 'component does not exist, component_id: 9999'],
      [{ url: HOOK, scope: { incidents: null, maintenances: false, notices: false } }, 'scope wants no news: set incidents (1, 2 or 3), maintenances or notices'],
      [{ url: HOOK, scope: { incidents: 4 } }, 'body/scope/incidents must be <= 3'],
    ];
    for (const [payload, message] of cases) {
      const response = await as(tokens.olivia, 'POST', '/api/v2/webhooks', payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.deepEqual(response.json(), { errMsg: message }, JSON.stringify(payload));
    }
    assert.deepEqual((await as(tokens.olivia, 'GET', '/api/v2/webhooks')).json(), []);
    for (const [method, url] of [
      ['GET', '/api/v2/webhooks/abc'],
      ['PATCH', '/api/v2/webhooks/0'],
      ['DELETE', '/api/v2/webhooks/1.5'],
      ['POST', '/api/v2/webhooks/-1/test'],
    ] as const) {
      const response = await as(tokens.olivia, method, url, method === 'PATCH' ? { enabled: true } : undefined);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(response.json(), { errMsg: 'webhook invalid format' });
    }
    const created = await as(tokens.olivia, 'POST', '/api/v2/webhooks', { url: HOOK, format: 'discord', scope: { place: { kind: 'components', componentIds: [compute] }, incidents: 3, notices: false } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json<WebhookJson>().scope_description, 'Outages and maintenances of Elastic Cloud Server (EU-DE)');
    const noEnabled = await as(tokens.olivia, 'PATCH', `/api/v2/webhooks/${created.json<WebhookJson>().id}`, {});
    assert.equal(noEnabled.statusCode, 400);
    assert.deepEqual(noEnabled.json(), { errMsg: 'body/enabled is required' });
  });

  it('refuses loopback, private and link-local targets unless SD_WEBHOOK_ALLOW_PRIVATE, and names that do not resolve', async (t) => {
    const api = await buildTestApp(t, { allowPrivateWebhooks: false });
    await createComponents(api.store, [['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }]]);
    const post = (url: string) => api.app.inject({ method: 'POST', url: '/v2/webhooks', headers: { authorization: api.auth }, payload: { url } });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:8080/hook',
      'http://[::1]/hook',
      'https://10.0.0.1/hook',
      'http://192.168.1.20/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fe80::1]/hook',
      'http://0x7f.1/hook',
    ]) {
      const response = await post(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.json<{ errMsg: string }>().errMsg, /^url refused: .+ is a loopback, private or link-local address: webhooks may not reach loopback, private or link-local addresses unless SD_WEBHOOK_ALLOW_PRIVATE is set$/, url);
    }
    const localhost = await post('http://localhost:8080/hook');
    assert.equal(localhost.statusCode, 400);
    assert.match(localhost.json<{ errMsg: string }>().errMsg, /^url refused: localhost resolves only to loopback, private or link-local addresses \((127\.0\.0\.1|::1)/);
    const unknown = await post('https://no-such-host.invalid/hook');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json<{ errMsg: string }>().errMsg, /^url refused: no-such-host\.invalid does not resolve/);
    // A public address is fine (no DNS needed for a literal).
    assert.equal((await post('https://93.184.215.14/hook')).statusCode, 201);
    assert.equal((await api.app.inject({ method: 'GET', url: '/v2/webhooks', headers: { authorization: api.auth } })).json<unknown[]>().length, 1);

    // With the setting on (the tests' default), loopback is allowed; a name must still resolve.
    const allowing = await buildTestApp(t);
    await createComponents(allowing.store, [['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }]]);
    const allowed = await allowing.app.inject({ method: 'POST', url: '/v2/webhooks', headers: { authorization: allowing.auth }, payload: { url: 'http://localhost:8080/hook' } });
    assert.equal(allowed.statusCode, 201, allowed.body);
    assert.equal(allowed.json<WebhookJson>().created_by, 'api:dummy');
    const stillUnknown = await allowing.app.inject({ method: 'POST', url: '/v2/webhooks', headers: { authorization: allowing.auth }, payload: { url: 'https://no-such-host.invalid/hook' } });
    assert.equal(stillUnknown.statusCode, 400);
  });
});
