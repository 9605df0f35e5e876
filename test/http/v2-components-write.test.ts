// POST /v2/components (reference v3 §3.8): the v3 body, exactly type/region/category, one clean
// answer for a duplicate, auth for every write.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

const attrs = (region: string) => [
  { name: 'type', value: 'dns' },
  { name: 'region', value: region },
  { name: 'category', value: 'Network' },
];

describeEachDatabase('POST /v2/components', () => {
  it('adds a component that both APIs then serve, and refuses the same name in the same region with one 409', async (t) => {
    const api = await buildTestApp(t);
    const post = (body: unknown) => api.app.inject({ method: 'POST', url: '/v2/components', headers: { authorization: api.auth }, payload: body as object });
    const created = await post({ name: 'Domain Name System', attrs: attrs('EU-DE') });
    assert.equal(created.statusCode, 201);
    const body = created.json<{ id: number; attributes: unknown; name: string }>();
    assert.deepEqual(Object.keys(body), ['id', 'attributes', 'name']);
    assert.deepEqual(body.attributes, attrs('EU-DE'));
    assert.equal((await api.getJson<{ name: string }>(`/api/v2/components/${body.id}`)).body.name, 'Domain Name System');
    const v1 = await api.getJson<{ id: number }>('/api/v1/component_status?name=Domain%20Name%20System&attribute_name=region&attribute_value=EU-DE');
    assert.equal(v1.body.id, body.id);

    const duplicate = await post({ name: 'Domain Name System', attrs: attrs('EU-DE') });
    assert.equal(duplicate.statusCode, 409);
    assert.deepEqual(duplicate.json(), { errMsg: 'component already exists' });
    assert.equal((await post({ name: 'Domain Name System', attrs: attrs('EU-NL') })).statusCode, 201, 'another region is another component');
  });

  it('adds a component once when the same one is posted twice at the same time', async (t) => {
    const api = await buildTestApp(t);
    const post = () => api.app.inject({ method: 'POST', url: '/api/v2/components', headers: { authorization: api.auth }, payload: { name: 'API Gateway', attrs: attrs('EU-DE') } });
    const statuses = (await Promise.all([post(), post(), post()])).map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409]);
    assert.equal((await api.getJson<unknown[]>('/v2/components')).body.length, 1);
  });

  const refused: [string, unknown][] = [
    ['a missing attribute', { name: 'X', attrs: attrs('EU-DE').slice(0, 2) }],
    ['an extra attribute', { name: 'X', attrs: [...attrs('EU-DE'), { name: 'zone', value: 'a' }] }],
    ['a repeated attribute', { name: 'X', attrs: [...attrs('EU-DE').slice(0, 2), { name: 'type', value: 'x' }] }],
  ];
  for (const [what, body] of refused) {
    it(`refuses ${what} with 400 "component attribute has invalid format"`, async (t) => {
      const api = await buildTestApp(t);
      const response = await api.app.inject({ method: 'POST', url: '/v2/components', headers: { authorization: api.auth }, payload: body as object });
      assert.deepEqual({ status: response.statusCode, body: response.json() }, { status: 400, body: { errMsg: 'component attribute has invalid format' } });
      assert.deepEqual((await api.getJson('/v2/components')).body, []);
    });
  }

  it('refuses a body without attrs or name with a 400 errMsg', async (t) => {
    const api = await buildTestApp(t);
    for (const body of [{ name: 'X' }, { attrs: attrs('EU-DE') }, { name: 'X', attrs: attrs('EU-DE'), extra: 1 }]) {
      const response = await api.app.inject({ method: 'POST', url: '/v2/components', headers: { authorization: api.auth }, payload: body });
      assert.equal(response.statusCode, 400);
      assert.equal(typeof response.json<{ errMsg: string }>().errMsg, 'string');
    }
  });

  it('answers 401 {"errMsg":"not authenticated"} without a valid token', async (t) => {
    const api = await buildTestApp(t);
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
      const response = await api.app.inject({ method: 'POST', url: '/v2/components', headers, payload: { name: 'X', attrs: attrs('EU-DE') } });
      assert.equal(response.statusCode, 401);
      assert.deepEqual(response.json(), { errMsg: 'not authenticated' });
      assert.match(String(response.headers['www-authenticate']), /^Bearer/);
    }
  });
});
