// Every class of bad input gets a clear 4xx JSON answer, never a 500, and nothing is written.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createReferenceComponents } from '../helpers/factories.js';
import { databaseOf } from '../../src/storage/database-of.js';

async function nothingWritten(api: TestApp): Promise<void> {
  const audit = await databaseOf(api.store).selectFrom('audit_log').select('action').where('entity', '=', 'event').execute();
  assert.deepEqual(audit, []);
  assert.deepEqual((await api.getJson('/api/v1/incidents')).body, []);
}

const valid = { name: 'cmp1', impact: 1, attributes: [{ name: 'a1', value: 'v1' }] };

describeEachDatabase('bad input to POST /api/v1/component_status', () => {
  const validationCases: [string, unknown, Record<string, unknown>][] = [
    ['missing fields', {}, { impact: ['Missing data for required field.'], name: ['Missing data for required field.'] }],
    ['a name of the wrong type', { ...valid, name: 5 }, { name: ['Not a valid string.'] }],
    ['a null name', { ...valid, name: null }, { name: ['Field may not be null.'] }],
    ['an empty name', { ...valid, name: '' }, { name: ['Field may not be empty.'] }],
    ['an impact of the wrong type', { ...valid, impact: true }, { impact: ['Not a valid integer.'] }],
    ['a fractional impact', { ...valid, impact: 1.5 }, { impact: ['Not a valid integer.'] }],
    ['a null text', { ...valid, text: null }, { text: ['Field may not be null.'] }],
    ['an unknown field', { ...valid, foo: 1 }, { foo: ['Unknown field.'] }],
    ['attributes as an object', { ...valid, attributes: { a1: 'v1' } }, { attributes: ['Not a valid list.'] }],
    ['an attribute without its value', { ...valid, attributes: [{ name: 'a1' }] }, { attributes: { 0: { value: ['Missing data for required field.'] } } }],
    ['an attribute with an unknown key', { ...valid, attributes: [{ name: 'a1', value: 'v1', x: 1 }] }, { attributes: { 0: { x: ['Unknown field.'] } } }],
    ['an attribute that is a string', { ...valid, attributes: ['a1=v1'] }, { attributes: { 0: ['Invalid input type.'] } }],
    ['a body that is an array', [valid], { _schema: ['Invalid input type.'] }],
    ['a body that is a string', '"cmp1"', { _schema: ['Invalid input type.'] }],
    ['a too long title', { ...valid, text: 'x'.repeat(501) }, { text: ['Longer than maximum length 500.'] }],
  ];
  for (const [what, body, errors] of validationCases) {
    it(`answers 422 naming the field for ${what}`, async (t) => {
      const api = await buildTestApp(t);
      await createReferenceComponents(api.store);
      const response = await api.postStatus(typeof body === 'string' ? body : body, { 'content-type': 'application/json' });
      assert.equal(response.statusCode, 422);
      assert.deepEqual(response.json(), { code: 422, errors: { json: errors }, status: 'Unprocessable Entity' });
      await nothingWritten(api);
    });
  }

  const transportCases: [string, Record<string, string>, string, number][] = [
    ['malformed JSON', { 'content-type': 'application/json' }, '{"name": "cmp1", ', 400],
    ['an empty JSON body', { 'content-type': 'application/json' }, '', 400],
    ['a form-encoded body', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=cmp1&impact=1', 415],
    ['a body without content type', {}, 'name=cmp1', 415],
    ['a huge body', { 'content-type': 'application/json' }, JSON.stringify({ ...valid, text: 'x'.repeat(200_000) }), 413],
  ];
  for (const [what, headers, payload, status] of transportCases) {
    it(`answers ${status} JSON for ${what}`, async (t) => {
      const api = await buildTestApp(t);
      await createReferenceComponents(api.store);
      const response = await api.app.inject({
        method: 'POST',
        url: '/api/v1/component_status',
        headers: { authorization: api.auth, ...headers },
        payload,
      });
      assert.equal(response.statusCode, status);
      const body = response.json<{ code: number; status: string }>();
      assert.equal(body.code, status);
      assert.equal(typeof body.status, 'string');
      await nothingWritten(api);
    });
  }

  it('answers malformed JSON with the reference’s body', async (t) => {
    const api = await buildTestApp(t);
    const response = await api.postStatus('{"name": ', { 'content-type': 'application/json' });
    assert.deepEqual(response.json(), { code: 400, errors: { json: ['Invalid JSON body.'] }, status: 'Bad Request' });
  });

  it('answers other methods with 405 and an Allow header', async (t) => {
    const api = await buildTestApp(t);
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      const response = await api.app.inject({ method, url: '/api/v1/component_status' });
      assert.equal(response.statusCode, 405);
      assert.equal(response.headers.allow, 'GET, HEAD, POST');
      assert.deepEqual(response.json(), { code: 405, status: 'Method Not Allowed' });
    }
  });

  it('answers unknown paths with a JSON 404', async (t) => {
    const api = await buildTestApp(t);
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { code: 404, status: 'Not Found' });
  });
});
