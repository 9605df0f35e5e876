import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { bannerJson, bannerOf } from '../domain/banner.js';
import type { PageOptions } from './deps.js';
import { errorBody } from './errors.js';
import { filledLinkedJson, LINK_SLOTS, linkedJson, pageLinksOf } from './linked-json.js';
import { allowAnyOrigin } from './open-cors.js';
import { currentOverview } from './pages/overview.js';
import { sendEncoded } from './compression.js';
import { etagOf } from './pages/send-page.js';
import { routePlugin } from './route-plugin.js';
import { sendJson } from './send-json.js';
import { ErrorSchema } from './v1/schemas.js';

const BannerSchema = Type.Object({
  region: Type.Union([Type.String(), Type.Null()], { description: 'the region asked for; null: the whole cloud' }),
  active: Type.Boolean({ description: 'an incident or a maintenance is active in scope' }),
  count: Type.Integer({ minimum: 0, description: 'how many are' }),
  event: Type.Union(
    [
      Type.Object({
        id: Type.Integer(),
        title: Type.String(),
        type: Type.Union([Type.Literal('incident'), Type.Literal('maintenance')]),
        impact: Type.Union([Type.Literal('outage'), Type.Literal('major'), Type.Literal('minor'), Type.Literal('maintenance')]),
        label: Type.String({ description: 'the impact in words, as the pages say it' }),
        url: Type.String({ description: 'its page here' }),
      }),
      Type.Null(),
    ],
    { description: 'the most severe: an incident before any maintenance, the higher impact, then the earliest' },
  ),
  status_url: Type.String({ description: 'the status page (of the region)' }),
});

/** Browsers keep the script an hour, then ask again (a 304 while it is unchanged). */
const SCRIPT_CACHE = 'public, max-age=3600';

/**
 * The embeddable banner (docs/banner.md): /banner.js, which any site includes, and the JSON it
 * reads, /banner.json, readable from any origin. The answer is kept per region and state of the
 * page (until an event starts or ends), with its links filled in per request.
 */
const banner: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock, publicUrl }, context }) => {
  allowAnyOrigin(app);
  const script = context.assets.files.get(context.assets.urls.banner);
  if (!script) throw new Error('the banner script (public/banner.js) is not among the assets');
  const scriptEtag = etagOf(script.bytes);

  app.get(
    '/banner.json',
    {
      schema: {
        summary: 'Whether the cloud, or one region, has an active incident or maintenance, and the most severe one: what /banner.js shows',
        tags: ['banner'],
        querystring: Type.Object({ region: Type.Optional(Type.String({ description: 'a region\'s name, e.g. EU-DE; none: the whole cloud' })) }),
        response: { 200: BannerSchema, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { region } = request.query;
      const now = clock();
      const model = await readModel.fresh(request);
      const overview = currentOverview(model, now);
      // Only known regions: the answers are kept per region, so no request may add one.
      if (region !== undefined && !overview.regions.some((known) => known.name === region)) {
        const shown = region.length > 100 || /\p{Cc}/u.test(region) ? 'the region given' : `"${region}"`;
        return reply.code(400).send(errorBody(400, `No region ${shown}: ask for one the status page lists, or for none`));
      }
      const answer = model.memoizeUntil(`banner:${region ?? ''}`, now, () => ({ value: linkedJson(bannerJson(bannerOf(overview, region), LINK_SLOTS.base)), validUntil: overview.validUntil }));
      return sendJson(request, reply, 200, filledLinkedJson(answer, pageLinksOf(publicUrl, request)));
    },
  );

  app.get(
    '/banner.js',
    {
      schema: {
        summary: 'The embeddable banner\'s script: include it with <script src=".../banner.js" data-region="EU-DE" defer></script>',
        tags: ['banner'],
        response: { 200: { description: 'the script', content: { 'text/javascript': { schema: Type.String() } } } },
      },
    },
    async (request, typedReply) => {
      // Bytes and a 304, which the typed reply of a string answer does not take.
      const reply = typedReply as FastifyReply;
      reply.header('cache-control', SCRIPT_CACHE);
      return sendEncoded(request, reply, { body: script.bytes, type: script.type, etag: scriptEtag });
    },
  );
};

export default routePlugin('banner', banner);
