import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { statuspageDocument, type StatuspageDocument } from '../../domain/statuspage.js';
import type { PageOptions } from '../deps.js';
import { filledLinkedJson, LINK_SLOTS, linkedJson, pageLinksOf, type LinkedJson } from '../linked-json.js';
import { allowAnyOrigin } from '../open-cors.js';
import { currentOverview } from '../pages/overview.js';
import { routePlugin } from '../route-plugin.js';
import { sendJson } from '../send-json.js';
import { StatuspageComponents, StatuspageIncidents, StatuspageMaintenances, StatuspageStatus, StatuspageSummary } from './schemas.js';

/** Each endpoint: its path under /api/v2, what it says, its schema and its answer from the document. */
const ENDPOINTS: { path: string; summary: string; schema: TSchema; answer: (document: StatuspageDocument) => unknown }[] = [
  {
    path: '/summary.json',
    summary: 'Statuspage summary: the rollup, every component (regions as groups), unresolved incidents, maintenances in progress and upcoming',
    schema: StatuspageSummary,
    answer: (document) => ({
      page: document.page,
      components: document.components,
      incidents: document.unresolvedIncidents,
      scheduled_maintenances: [...document.activeMaintenances, ...document.upcomingMaintenances],
      status: document.status,
    }),
  },
  { path: '/status.json', summary: 'Statuspage status: the rollup (indicator and description)', schema: StatuspageStatus, answer: ({ page, status }) => ({ page, status }) },
  { path: '/components.json', summary: 'Statuspage components: every component, regions as groups', schema: StatuspageComponents, answer: ({ page, components }) => ({ page, components }) },
  { path: '/incidents.json', summary: 'Statuspage incidents: the 50 most recent, resolved or not, newest first', schema: StatuspageIncidents, answer: ({ page, recentIncidents }) => ({ page, incidents: recentIncidents }) },
  { path: '/incidents/unresolved.json', summary: 'Statuspage incidents not resolved yet, newest first', schema: StatuspageIncidents, answer: ({ page, unresolvedIncidents }) => ({ page, incidents: unresolvedIncidents }) },
  {
    path: '/scheduled-maintenances.json',
    summary: 'Statuspage scheduled maintenances: the 50 most recent, newest first',
    schema: StatuspageMaintenances,
    answer: ({ page, recentMaintenances }) => ({ page, scheduled_maintenances: recentMaintenances }),
  },
  {
    path: '/scheduled-maintenances/upcoming.json',
    summary: 'Statuspage scheduled maintenances yet to start, soonest first',
    schema: StatuspageMaintenances,
    answer: ({ page, upcomingMaintenances }) => ({ page, scheduled_maintenances: upcomingMaintenances }),
  },
  {
    path: '/scheduled-maintenances/active.json',
    summary: 'Statuspage scheduled maintenances in progress, newest first',
    schema: StatuspageMaintenances,
    answer: ({ page, activeMaintenances }) => ({ page, scheduled_maintenances: activeMaintenances }),
  },
];

/**
 * Atlassian Statuspage's public JSON (docs/statuspage-json.md) at /api/v2/*.json, beside API v2's
 * own routes: read-only, anonymous, readable from any origin. Every answer is serialised once per
 * state of the page (until an event starts or ends), with the links filled in per request.
 */
const statuspage: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock, publicUrl }, context }) => {
  allowAnyOrigin(app);
  for (const [index, endpoint] of ENDPOINTS.entries()) {
    app.get(endpoint.path, { schema: { summary: endpoint.summary, tags: ['statuspage'], response: { 200: endpoint.schema } } }, async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const overview = currentOverview(model, now);
      const answers = model.memoizeUntil('statuspage', now, (): { value: LinkedJson[]; validUntil: number } => {
        const document = statuspageDocument({
          overview,
          events: model.events.values(),
          componentCreatedAt: (id) => model.componentCreatedAt.get(id),
          now,
          page: { id: LINK_SLOTS.pageId, name: context.site.title, url: LINK_SLOTS.base },
        });
        return { value: ENDPOINTS.map((each) => linkedJson(each.answer(document))), validUntil: overview.validUntil };
      });
      return sendJson(request, reply, 200, filledLinkedJson(answers[index] ?? [], pageLinksOf(publicUrl, request)));
    });
  }
};

export default routePlugin('statuspage', statuspage);
