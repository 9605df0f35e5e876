import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { h } from 'preact';
import { regionAvailability } from '../../domain/region-availability.js';
import { AvailabilityPage } from '../../web/pages/availability-page.js';
import type { PageOptions } from '../deps.js';
import { currentOverview } from './overview.js';
import { renderPage, sendPage } from './send-page.js';
import { routePlugin } from '../route-plugin.js';

/** Months in the table: the current one and the eleven before it. */
export const AVAILABILITY_MONTHS = 12;

/**
 * `/availability` (reference v1 §4.5, §7): the last twelve months of each service of a region.
 * The numbers follow the clock (the current month grows, open outages go on), so a region's page
 * is rendered at most once a minute, and again after every change.
 */
const availabilityPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  app.get(
    '/availability',
    { schema: { hide: true, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 255 })) }) } },
    async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const { regions } = currentOverview(model, now);
      // An unknown or missing region opens the first tab, as the front page does.
      const region = regions.find((candidate) => candidate.name === request.query.region) ?? regions[0];
      const page = model.memoizeStamped(`page:availability:${region?.name ?? ''}`, Math.floor(now / 60_000), () =>
        renderPage(
          h(AvailabilityPage, {
            context,
            regions: regions.map((candidate) => candidate.name),
            table: region && regionAvailability(region, (id) => model.eventsOf(id), now, AVAILABILITY_MONTHS),
          }),
        ),
      );
      return sendPage(request, reply, page, model);
    },
  );
};

export default routePlugin('availability-pages', availabilityPages);
