import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import { Type } from 'typebox';
import { affectedRegions } from '../../domain/status-overview.js';
import { StatusPage } from '../../web/pages/status-page.js';
import type { PageOptions } from '../deps.js';
import { componentsOf, currentOverview, uptimeBarOf } from './overview.js';
import { renderPage, sendPage } from './send-page.js';
import { routePlugin } from '../route-plugin.js';

/** The front page (spec §4): the overall state, region tabs, category cards with each service's uptime bar, active and planned events. */
const statusPage: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  const frontPage = {
    schema: { hide: true, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 255 })) }) },
  };
  for (const path of ['/', '/index']) {
    app.get(path, frontPage, async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const overview = currentOverview(model, now);
      // Without a choice, the tab that matters most: the worst-hit region, else the first.
      const region = overview.regions.find((candidate) => candidate.name === request.query.region) ?? affectedRegions(overview)[0] ?? overview.regions[0];
      const page = model.memoizeUntil(`page:status:${region?.name ?? ''}`, now, () => {
        const bars = new Map((region?.categories ?? []).flatMap((category) => category.components).map(({ component }) => [component.id, uptimeBarOf(model, component.id, now)]));
        return {
          value: renderPage(h(StatusPage, { context, overview, region, componentsOf: (event) => componentsOf(model, event), barOf: (id) => bars.get(id), now })),
          validUntil: Math.min(overview.validUntil, ...[...bars.values()].map((bar) => bar.validUntil)),
        };
      });
      return sendPage(request, reply, page, model);
    });
  }
};

export default routePlugin('status-page', statusPage);
