import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

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
});
