import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { attributeValue, type Component } from '../../domain/component.js';
import { parseId } from '../../domain/ids.js';
import type { State } from '../../domain/status-overview.js';
import type { ReadModel } from '../../read-model/read-model.js';
import { stateBadge } from '../../web/badge.js';
import { errorBody } from '../errors.js';
import { ErrorSchema } from '../v1/schemas.js';
import type { PageOptions } from '../deps.js';
import { currentOverview } from './overview.js';
import { cacheForEveryone } from '../cache-headers.js';
import { sendEncoded } from '../compression.js';
import { etagOf } from './send-page.js';
import { IdParam } from '../validation.js';
import { routePlugin } from '../route-plugin.js';

interface RenderedBadge {
  svg: Buffer;
  etag: string;
}

const BADGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
} as const;

/** What a badge route answers: the SVG (or 304 to a matching If-None-Match). */
const BADGE_RESPONSE = { 200: { description: 'the badge', content: { 'image/svg+xml': { schema: Type.String() } } }, 404: ErrorSchema };

const BadgeQuery = Type.Object({
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'replaces the left text' })),
});

function renderBadge(label: string, state: State): RenderedBadge {
  const svg = Buffer.from(stateBadge(label, state));
  return { svg, etag: etagOf(svg) };
}

function componentLabel(component: Component): string {
  const region = attributeValue(component, 'region');
  return region === undefined ? component.name : `${component.name} (${region})`;
}

/**
 * SVG status badges to embed in other sites: the whole cloud, a region, or one component (by id,
 * or by region and name with the API's matching rule). Unknown targets get the JSON 404 envelope.
 */
const badges: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  /** Sends the badge of `key`; default-label badges are kept per version until the overview changes. */
  function sendBadge(
    request: FastifyRequest,
    reply: FastifyReply,
    target: { model: ReadModel; now: number; validUntil: number; key: string; label: string; state: State },
    customLabel: string | undefined,
  ): FastifyReply {
    const { model, now, validUntil, key, label, state } = target;
    // Custom labels are rendered per request: caching them would let anyone grow the cache at will.
    const badge =
      customLabel === undefined ? model.memoizeUntil(`badge:${key}`, now, () => ({ value: renderBadge(label, state), validUntil })) : renderBadge(customLabel, state);
    // Browsers revalidate every time (a 304 is cheap); image proxies (GitHub's camo) and CDNs keep it a few seconds.
    cacheForEveryone(reply.headers(BADGE_HEADERS));
    return sendEncoded(request, reply, { body: badge.svg, type: 'image/svg+xml; charset=utf-8', etag: badge.etag });
  }

  const fresh = async (request: FastifyRequest) => {
    const now = clock();
    const model = await readModel.fresh(request);
    return { model, now, overview: currentOverview(model, now) };
  };

  app.get(
    '/badge.svg',
    { schema: { summary: 'SVG badge of the overall state of the cloud', tags: ['badges'], querystring: BadgeQuery, response: BADGE_RESPONSE } },
    async (request, reply) => {
      const { model, now, overview } = await fresh(request);
      return sendBadge(request, reply, { model, now, validUntil: overview.validUntil, key: 'all', label: context.site.title, state: overview.state }, request.query.label);
    },
  );

  app.get(
    '/badge/region/:region.svg',
    {
      schema: {
        summary: 'SVG badge of a region: the worst state of its components',
        tags: ['badges'],
        params: Type.Object({ region: Type.String({ description: 'e.g. EU-DE' }) }),
        querystring: BadgeQuery,
        response: BADGE_RESPONSE,
      },
    },
    async (request, reply) => {
      const { model, now, overview } = await fresh(request);
      const region = overview.regions.find((candidate) => candidate.name === request.params.region);
      if (!region) return reply.code(404).send(errorBody(404, `No region ${request.params.region}`));
      return sendBadge(request, reply, { model, now, validUntil: overview.validUntil, key: `region:${region.name}`, label: region.name, state: region.state }, request.query.label);
    },
  );

  const componentBadge = async (request: FastifyRequest, reply: FastifyReply, find: (model: ReadModel) => Component | undefined, notFound: string, label?: string) => {
    const { model, now, overview } = await fresh(request);
    const component = find(model);
    const status = component === undefined ? undefined : overview.components.get(component.id);
    if (!component || !status) return reply.code(404).send(errorBody(404, notFound));
    return sendBadge(request, reply, { model, now, validUntil: overview.validUntil, key: `component:${component.id}`, label: componentLabel(component), state: status.state }, label);
  };

  app.get(
    '/badge/component/:id.svg',
    {
      schema: {
        summary: 'SVG badge of one component, by id',
        tags: ['badges'],
        params: Type.Object({ id: IdParam }),
        querystring: BadgeQuery,
        response: BADGE_RESPONSE,
      },
    },
    async (request, reply) => {
      const { id: text } = request.params;
      const id = parseId(text);
      return componentBadge(request, reply, (model) => (id === undefined ? undefined : model.components.get(id)), `No component ${text}`, request.query.label);
    },
  );

  app.get(
    '/badge/component/:region/:name.svg',
    {
      schema: {
        summary: 'SVG badge of one component, by region and name (URL-encoded), matched as the monitoring API matches',
        tags: ['badges'],
        params: Type.Object({ region: Type.String({ description: 'e.g. EU-DE' }), name: Type.String({ description: 'e.g. Elastic Cloud Server' }) }),
        querystring: BadgeQuery,
        response: BADGE_RESPONSE,
      },
    },
    async (request, reply) => {
      const { region, name } = request.params;
      return componentBadge(request, reply, (model) => model.findComponent(name, new Map([['region', region]])), `No component ${name} in ${region}`, request.query.label);
    },
  );
};

export default routePlugin('badges', badges);
