import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { h } from 'preact';
import { clampPage, endedEvents, filterChoices, filterHistory, isFiltered, matchingComponentIds, nextEnd, normalizeFilter, pageCount, pageOfHistory, type FilteredHistory } from '../../domain/history.js';
import { HistoryPage } from '../../web/pages/history-page.js';
import type { PageOptions } from '../deps.js';
import { componentsOf } from './overview.js';
import { renderPage, sendPage } from './send-page.js';
import { routePlugin } from '../route-plugin.js';

/** Events per page of the history. */
export const HISTORY_PAGE_SIZE = 25;

const HistoryQuery = Type.Object({
  region: Type.Optional(Type.String({ maxLength: 255 })),
  category: Type.Optional(Type.String({ maxLength: 255 })),
  component: Type.Optional(Type.String({ maxLength: 255 })),
  // Anything but digits is refused by validation (422); 0 shows page 1, beyond the last the last.
  page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
});

/**
 * `/history` (reference v1 §4.4): ended events by the month they ended, with filters and pages.
 * The ended list is sorted once per version and kept until the next event ends, each filter's
 * share of it is kept as long, and each page of it is rendered once.
 */
const historyPages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  app.get('/history', { schema: { hide: true, querystring: HistoryQuery } }, async (request, reply) => {
    const now = clock();
    const model = await readModel.fresh(request);
    // Nothing changes by itself before the next end of an event that has not ended yet.
    const validUntil = nextEnd(model.currentEvents(now), now);
    const sorted = model.memoizeUntil('history:ended', now, () => ({ value: endedEvents(model.events.values(), now), validUntil }));
    const choices = model.memoize('history:choices', () => filterChoices(model.components.values()));
    const filter = normalizeFilter(request.query);
    const filterKey = JSON.stringify([filter.region ?? null, filter.category ?? null, filter.component ?? null]);
    const render = (filtered: FilteredHistory, page: number) =>
      renderPage(
        h(HistoryPage, {
          context,
          selection: pageOfHistory(filtered, page, HISTORY_PAGE_SIZE),
          filter,
          choices,
          componentsOf: (event) => componentsOf(model, event),
          now,
        }),
      );

    // A filter that matches no component makes the same small page whatever it says: rendered
    // every time, so that made-up values cannot fill the memo.
    if (isFiltered(filter) && matchingComponentIds(model.components.values(), filter).size === 0) {
      return sendPage(request, reply, render({ events: [], matchesNothing: true }, 1), model);
    }
    const kept = model.memoizeUntil(`history:filtered:${filterKey}`, now, () => ({ value: filterHistory(sorted, model.components.values(), filter), validUntil }));
    const page = clampPage(Number(request.query.page ?? '1'), pageCount(kept.events.length, HISTORY_PAGE_SIZE));
    const rendered = model.memoizeUntil(`page:history:${filterKey}:${page}`, now, () => ({ value: render(kept, page), validUntil }));
    return sendPage(request, reply, rendered, model);
  });
};

export default routePlugin('history-pages', historyPages);
