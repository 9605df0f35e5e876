// The one check of every text a client sends (src/http/plugins/text-input.ts): what it walks.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

describeEachDatabase('texts with characters no text may hold', () => {
  it('finds one at any depth of a JSON body, and answers 400 rather than overflowing the stack', async (t) => {
    const api = await buildTestApp(t);
    const depth = 100_000;
    const response = await api.app.inject({
      method: 'POST',
      url: '/v2/events',
      headers: { authorization: api.auth, 'content-type': 'application/json' },
      payload: `{"title":"x","updates":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`,
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ errMsg: string }>().errMsg, /^updates(\/0)+: must not contain U\+0000$/);
  });

  it('names a field whose name holds one, with U+FFFD in its place', async (t) => {
    const api = await buildTestApp(t);
    const response = await api.app.inject({ method: 'GET', url: '/feeds/feed.json?regi%01on=x' });
    assert.deepEqual(response.json(), { code: 400, message: 'regi\uFFFDon: must not contain U+0001', status: 'Bad Request' });
  });

  it('checks path parameters and repeated query parameters', async (t) => {
    const api = await buildTestApp(t);
    const region = await api.app.inject({ method: 'GET', url: '/badge/region/EU%07DE.svg' });
    assert.deepEqual([region.statusCode, region.json<{ message: string }>().message], [400, 'region: must not contain U+0007']);
    const twice = await api.app.inject({ method: 'GET', url: '/badge.svg?label=a&label=%1F' });
    assert.deepEqual([twice.statusCode, twice.json<{ message: string }>().message], [400, 'label/1: must not contain U+001F']);
  });

  it('lets tab, line feed, carriage return and every other character through', async (t) => {
    const api = await buildTestApp(t);
    const label = '\t\r\n\u007f\u0085\u00a0\u2028\ud83d\ude00\ufffd';
    const response = await api.app.inject({ method: 'GET', url: `/badge.svg?label=${encodeURIComponent(label)}` });
    assert.equal(response.statusCode, 200, response.body);
  });
});
