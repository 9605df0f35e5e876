// API tokens (spec §5): HS256 with the secret key, carrying the payload key; everything else is 401.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import { SignJWT } from 'jose';
import { buildTestApp, TEST_PAYLOAD_KEY, TEST_SECRET } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createReferenceComponents } from '../helpers/factories.js';
import { databaseOf } from '../../src/storage/database-of.js';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const secret = new TextEncoder().encode(TEST_SECRET);
const body = { name: 'cmp1', impact: 1, attributes: [{ name: 'a1', value: 'v1' }] };

/** A token as PyJWT would write it: `jwt.encode({"stackmon": "dummy"}, key, algorithm=…)`. */
function handMadeToken(header: object, payload: object, key = TEST_SECRET, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${createHmac(algorithm, key).update(signingInput).digest('base64url')}`;
}

describeEachDatabase('API token checks', () => {
  const refused: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['the scheme "Token"', async () => `Token ${handMadeToken({ alg: 'HS256', typ: 'JWT' }, { stackmon: 'dummy' })}`],
    ['a token signed with another key', async () => `Bearer ${handMadeToken({ alg: 'HS256', typ: 'JWT' }, { stackmon: 'dummy' }, 'other-key')}`],
    ['an HS512 token', async () => `Bearer ${handMadeToken({ alg: 'HS512', typ: 'JWT' }, { stackmon: 'dummy' }, TEST_SECRET, 'sha512')}`],
    ['an alg "none" token', async () => `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ stackmon: 'dummy' })}.`],
    ['a token without the payload key', async () => `Bearer ${handMadeToken({ alg: 'HS256', typ: 'JWT' }, { status_dashboard: 'dummy' })}`],
    [
      'an expired token',
      async () => `Bearer ${await new SignJWT({ [TEST_PAYLOAD_KEY]: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret)}`,
    ],
    ['garbage', async () => 'Bearer not.a.jwt'],
    ['an empty bearer', async () => 'Bearer '],
  ];
  for (const [what, header] of refused) {
    it(`answers 401 with WWW-Authenticate for ${what}, before reading the body`, async (t) => {
      const api = await buildTestApp(t);
      await createReferenceComponents(api.store);
      const authorization = await header();
      for (const payload of [body, { bad: true }]) {
        const response = await api.app.inject({
          method: 'POST',
          url: '/api/v1/component_status',
          headers: authorization === undefined ? {} : { authorization },
          payload,
        });
        assert.equal(response.statusCode, 401);
        assert.equal(response.headers['www-authenticate'], 'Bearer realm="Authentication Required"');
        assert.deepEqual(response.json(), { code: 401, message: 'Unauthorized Access', status: 'Unauthorized' });
      }
      assert.deepEqual((await api.getJson('/api/v1/incidents')).body, []);
    });
  }

  it('accepts the reference’s own test token, with a lowercase scheme and any payload value', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    for (const value of ['dummy', '']) {
      const token = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { stackmon: value });
      const response = await api.app.inject({ method: 'POST', url: '/api/v1/component_status', headers: { authorization: `bearer ${token}` }, payload: body });
      assert.ok([201, 409].includes(response.statusCode), String(response.statusCode));
    }
  });

  it('accepts a token that expires later', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const token = await new SignJWT({ [TEST_PAYLOAD_KEY]: 'probe' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);
    const response = await api.postStatus(body, { authorization: `Bearer ${token}` });
    assert.equal(response.statusCode, 201);
  });

  it('names the token’s caller in the audit log', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const token = handMadeToken({ alg: 'HS256', typ: 'JWT' }, { stackmon: 'zabbix-eu' });
    await api.postStatus(body, { authorization: `Bearer ${token}` });
    const rows = await databaseOf(api.store).selectFrom('audit_log').select(['actor', 'action']).where('entity', '=', 'event').execute();
    assert.deepEqual(rows, [{ actor: 'api:zabbix-eu', action: 'event.open' }]);
  });

  it('keeps the GET endpoints public, also when an invalid token is sent along', async (t) => {
    const api = await buildTestApp(t);
    for (const url of ['/api/v1/component_status', '/api/v1/incidents']) {
      const response = await api.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer expired.or.invalid' } });
      assert.equal(response.statusCode, 200);
    }
  });
});
