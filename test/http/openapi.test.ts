import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RouteOptions } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { DAY } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

describeEachDatabase('OpenAPI document', () => {
  it('validates as OpenAPI 3 and lists every route the app serves', async (t) => {
    const routes: RouteOptions[] = [];
    const api = await buildTestApp(t, { onRoute: (route) => routes.push(route) });
    const response = await api.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    const result = await new Validator().validate(document);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.match(document.openapi, /^3\./);

    const documented = routes.filter((route) => !(route.schema as { hide?: boolean } | undefined)?.hide && !route.url.startsWith('/api/docs'));
    assert.ok(documented.length >= 7, `only ${documented.length} routes`);
    for (const route of documented) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        assert.ok(document.paths[path]?.[method.toLowerCase()], `${method} ${path} is in the document`);
      }
    }
    assert.ok(document.paths['/api/v1/component_status']?.post, 'the monitoring entry point is documented');
  });

  it('serves the interactive documentation page from local assets', async (t) => {
    const api = await buildTestApp(t);
    const page = await api.app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/i);
    assert.ok(!/https?:\/\/(?!localhost)[^"']*\.(js|css)/.test(page.body), 'no assets from other sites');
  });
});

describeEachDatabase('response schemas', () => {
  it('declares the 2xx answer of every documented route', async (t) => {
    const routes: RouteOptions[] = [];
    await buildTestApp(t, { onRoute: (route) => routes.push(route) });
    const documented = routes.filter((route) => !(route.schema as { hide?: boolean } | undefined)?.hide && !route.url.startsWith('/api/docs') && [route.method].flat().some((method) => method !== 'HEAD' && method !== 'OPTIONS'));
    const undeclared = documented.filter((route) => !Object.keys((route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {}).some((status) => /^2(\d\d|xx)$/.test(status)));
    assert.deepEqual(undeclared.map((route) => `${[route.method].flat().join(',')} ${route.url}`), []);
  });

  it('holds for the answers sent as bytes serialised ahead of time (sendJson skips the serializer)', async (t) => {
    const routes: RouteOptions[] = [];
    const api = await buildTestApp(t, { onRoute: (route) => routes.push(route) });
    const [component] = await createComponents(api.store, [['Cloud Container Engine', { category: 'Container', region: 'EU-DE', type: 'cce' }]]);
    await createEvent(api.store, { type: 'maintenance', title: 'Upgrade', impact: 0, startAt: api.clock.now + DAY, endAt: api.clock.now + 2 * DAY, componentIds: [component?.id ?? 0] });
    const opened = await api.postStatus({ name: 'Cloud Container Engine', impact: 2, text: 'down', attributes: [{ name: 'region', value: 'EU-DE' }] });
    const ajv = new Ajv.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const schemaOf = (method: string, url: string, status: number) => {
      const route = routes.find((candidate) => candidate.url === url && [candidate.method].flat().includes(method));
      const schema = (route?.schema as { response?: Record<string, unknown> } | undefined)?.response?.[String(status)];
      assert.ok(schema, `${method} ${url} declares ${status}`);
      return ajv.compile(schema as object);
    };
    const answers: [string, string, number, unknown][] = [['POST', '/api/v1/component_status', opened.statusCode, opened.json()]];
    for (const [url, route] of [
      ['/api/v1/component_status', '/api/v1/component_status'],
      [`/api/v1/component_status?id=${component?.id}`, '/api/v1/component_status'],
      ['/api/v1/incidents', '/api/v1/incidents'],
      ['/api/v2/events', '/api/v2/events'],
      ['/api/v2/availability', '/api/v2/availability'],
    ] as const) {
      const { status, body } = await api.getJson(url);
      answers.push(['GET', route, status, body]);
    }
    for (const [method, route, status, body] of answers) {
      assert.ok(status >= 200 && status < 300, `${method} ${route}: ${status}`);
      const validate = schemaOf(method, route, status);
      assert.ok(validate(body), `${method} ${route}: ${ajv.errorsText(validate.errors)}`);
    }
  });
});
