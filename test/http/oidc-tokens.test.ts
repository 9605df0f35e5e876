// Access tokens of the OpenID Connect provider are accepted for writes (reference v3 §5), checked
// against a real provider started here (oauth2-mock-server), not a mock of our own code.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { startOidcProvider } from '../helpers/oidc-provider.js';
import { databaseOf } from '../../src/storage/database-of.js';

async function provider(t: Parameters<typeof buildTestApp>[0]) {
  const { server, issuer } = await startOidcProvider(t);
  const token = (claims: Record<string, unknown>, expiresIn = 300) =>
    server.issuer.buildToken({
      expiresIn,
      scopesOrTransform: (_header, payload) => Object.assign(payload, { azp: 'status-dashboard', preferred_username: 'alice', ...claims }),
    });
  return { issuer, token };
}

const body = { name: 'DNS', attrs: [{ name: 'type', value: 'dns' }, { name: 'region', value: 'EU-DE' }, { name: 'category', value: 'Network' }] };

describeEachDatabase('OpenID Connect access tokens', () => {
  it('accepts a token of the provider for our client with the required group, and names its user', async (t) => {
    const { issuer, token } = await provider(t);
    const api = await buildTestApp(t, { oidc: { issuer, clientId: 'status-dashboard', roles: { admins: '/status-dashboard' } } });
    const response = await api.app.inject({ method: 'POST', url: '/v2/components', headers: { authorization: `Bearer ${await token({ groups: ['status-dashboard'] })}` }, payload: body });
    assert.equal(response.statusCode, 201, response.body);
    const audit = await databaseOf(api.store).selectFrom('audit_log').select('actor').execute();
    assert.deepEqual(audit, [{ actor: 'api:alice' }]);
  });

  it('refuses tokens without the group, for another client, expired, or when no provider is configured', async (t) => {
    const { issuer, token } = await provider(t);
    const api = await buildTestApp(t, { oidc: { issuer, clientId: 'status-dashboard', roles: { admins: 'status-dashboard' } } });
    const refused = [
      await token({ groups: ['other'] }),
      await token({}),
      await token({ groups: ['status-dashboard'], azp: 'someone-else' }),
      await token({ groups: ['status-dashboard'] }, -60),
    ];
    for (const candidate of refused) {
      const response = await api.app.inject({ method: 'POST', url: '/v2/components', headers: { authorization: `Bearer ${candidate}` }, payload: body });
      assert.equal(response.statusCode, 401);
    }
    const unconfigured = await buildTestApp(t);
    const response = await unconfigured.app.inject({
      method: 'POST',
      url: '/api/v1/component_status',
      headers: { authorization: `Bearer ${await token({ groups: ['status-dashboard'] })}` },
      payload: { name: 'x', impact: 1 },
    });
    assert.equal(response.statusCode, 401);
  });
});
