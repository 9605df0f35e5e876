import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { matchesFeedFilter, newestEventsOf, type FeedFilter } from '../../domain/feed-selection.js';
import type { ReadModel } from '../../read-model/read-model.js';
import type { RouteOptions } from '../deps.js';
import { baseUrl } from '../base-url.js';
import { cacheForEveryone } from '../cache-headers.js';
import { sendEncoded } from '../compression.js';
import { errorBody } from '../errors.js';
import { ErrorSchema } from '../v1/schemas.js';
import { escapeHtml } from '../../domain/texts.js';
import { atom1, jsonFeed, rss2, type FeedMeta } from './present.js';
import { routePlugin } from '../route-plugin.js';

const REFERENCE_RSS_ITEMS = 10;
const FEED_ITEMS = 50;
const FORMATS = {
  'rss.xml': { type: 'application/rss+xml; charset=utf-8', render: rss2 },
  'atom.xml': { type: 'application/atom+xml; charset=utf-8', render: atom1 },
  'feed.json': { type: 'application/feed+json; charset=utf-8', render: jsonFeed },
} as const;
type FormatName = keyof typeof FORMATS;

/** A feed route's answer, for the API document: the feed in its own media type. */
function feedResponse(format: FormatName) {
  return { description: `the feed (${format})`, content: { [FORMATS[format].type.split(';')[0] as string]: { schema: Type.String() } } };
}

const FilterQuery = Type.Object({
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  component: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});

/**
 * Feeds: the reference's `/rss/?mt=<region>&srv=<component>` (reference v1 §5), and RSS, Atom and
 * JSON Feed for any filter of region, category and component under `/feeds/`.
 */
const feeds: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel, publicUrl } }) => {
  // Links follow the request's host unless SD_PUBLIC_URL is set: a rendering is kept for the
  // address it links to (keptFeed), so one client's Host header is never handed to everyone.
  const baseOf = (request: { protocol: string; host: string }) => baseUrl(publicUrl, request);

  app.get('/rss', { schema: { hide: true } }, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return reply.redirect(`/rss/${query}`, 308);
  });

  app.get(
    '/rss/',
    {
      schema: {
        summary: 'RSS of a region (mt) or of one component in it (mt and srv), as the Python dashboard served it',
        tags: ['feeds'],
        querystring: Type.Object({ mt: Type.Optional(Type.String()), srv: Type.Optional(Type.String()) }),
        response: { 200: feedResponse('rss.xml'), 404: { description: 'no such region or component', content: { 'text/html': { schema: Type.String() } } } },
      },
    },
    async (request, reply) => {
      const { mt: region, srv: name } = request.query;
      reply.header('cache-control', 'no-cache');
      const notFound = (text: string) => reply.code(404).type('text/html; charset=utf-8').send(text);
      if (!region) return notFound('Status Dashboard RSS feed\nPlease read the documentation to\nmake the correct request');
      const model = await readModel.fresh(request);
      const base = baseOf(request);
      if (name) {
        const component = model.findComponent(name, new Map([['region', region]]));
        if (!component) return notFound(`Component: ${escapeHtml(name)} is not found`);
        const meta = { title: `${name} (${region}) - Incidents | Status Dashboard`, description: `${region} - Incidents`, base, self: `${base}/rss/?mt=${encodeURIComponent(region)}&srv=${encodeURIComponent(name)}` };
        const events = model.memoize(`rss:${component.id}`, () => newestEventsOf([component.id], (id) => model.eventsOf(id), REFERENCE_RSS_ITEMS));
        cacheForEveryone(reply);
        return sendEncoded(request, reply, { body: keptFeed(events, 'rss', meta.self, () => rss2(meta, events)), type: FORMATS['rss.xml'].type });
      }
      const ids = componentIdsMatching(model, { region });
      if (ids.length === 0) return notFound(`${escapeHtml(region)} is not a supported region`);
      const meta = { title: `${region} - Incidents | Status Dashboard`, description: `${region} - Incidents`, base, self: `${base}/rss/?mt=${encodeURIComponent(region)}` };
      const events = model.memoize(`rss-region:${region}`, () => newestEventsOf(ids, (id) => model.eventsOf(id), REFERENCE_RSS_ITEMS));
      cacheForEveryone(reply);
      return sendEncoded(request, reply, { body: keptFeed(events, 'rss', meta.self, () => rss2(meta, events)), type: FORMATS['rss.xml'].type });
    },
  );

  for (const format of Object.keys(FORMATS) as FormatName[]) {
    app.get(
      `/feeds/${format}`,
      {
        schema: {
          summary: `Events of the components that match every given filter, as ${format === 'feed.json' ? 'JSON Feed 1.1' : format === 'atom.xml' ? 'Atom 1.0' : 'RSS 2.0'}`,
          tags: ['feeds'],
          querystring: FilterQuery,
          response: { 200: feedResponse(format), 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const model = await readModel.fresh(request);
        const filter: FeedFilter = request.query;
        const ids = componentIdsMatching(model, filter);
        if (ids.length === 0 && (filter.region || filter.category || filter.component)) {
          return reply.code(404).send(errorBody(404, 'No component matches this region, category and component'));
        }
        const events = model.memoize(`feed:${JSON.stringify([filter.region, filter.category, filter.component])}`, () =>
          newestEventsOf(ids, (id) => model.eventsOf(id), FEED_ITEMS),
        );
        const base = baseOf(request);
        const query = feedQuery(filter);
        const scope = [filter.component, filter.category, filter.region].filter(Boolean).join(', ');
        const meta: FeedMeta = {
          title: `${scope ? `${scope} - ` : ''}Incidents | Status Dashboard`,
          description: `Incidents and maintenances${scope ? ` of ${scope}` : ''}`,
          base,
          self: `${base}/feeds/${format}${query}`,
        };
        const body = keptFeed(events, format, meta.self, () => FORMATS[format].render(meta, events));
        cacheForEveryone(reply);
        return sendEncoded(request, reply, { body, type: FORMATS[format].type });
      },
    );
  }
};

function componentIdsMatching(model: ReadModel, filter: FeedFilter): number[] {
  return [...model.components.values()].filter((component) => matchesFeedFilter(component, filter)).map((component) => component.id);
}

/** Renderings kept with the events they show (kept per version and filter), per format: the last address each linked to. */
const renderedFeeds = new WeakMap<object, Map<string, { self: string; bytes: Buffer }>>();

/**
 * A feed's bytes, rendered once per version, filter, format and address, so that the same Buffer,
 * and the compressed forms kept with it, serve every reader until the data changes.
 */
function keptFeed(events: object, format: string, self: string, render: () => string): Buffer {
  let byFormat = renderedFeeds.get(events);
  if (!byFormat) renderedFeeds.set(events, (byFormat = new Map()));
  const kept = byFormat.get(format);
  if (kept?.self === self) return kept.bytes;
  const bytes = Buffer.from(render());
  byFormat.set(format, { self, bytes });
  return bytes;
}

function feedQuery(filter: FeedFilter): string {
  const params = new URLSearchParams();
  for (const key of ['region', 'category', 'component'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export default routePlugin('feeds', feeds);
