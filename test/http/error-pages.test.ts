// One error handler, one answer per caller: browsers get a page, API clients the JSON envelope.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

describeEachDatabase('error answers by caller', () => {
  it('shows a browser a page that says what failed, with the way back', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /There is nothing at this address\./);
    assert.match(response.body, /<a href="\/">Back to the current status<\/a>/);
    assert.equal(response.headers['cache-control'], 'private, no-store');
  });

  it('gives an API client the JSON envelope for the same failure', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: 'application/json' } });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { code: 404, status: 'Not Found' });
  });

  it('escapes what the request put into the message of a page', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/incidents/%3Cscript%3E', headers: { accept: 'text/html' } });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
    assert.doesNotMatch(response.body, /<script>/);
  });
});
