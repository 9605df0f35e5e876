import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import { Type } from 'typebox';
import { CONFIRMATION_LIFETIME_MS } from '../../auth/subscription-links.js';
import { presetScope, readScopeForm, readSubscriberEmail, scopeCatalog, scopeFormValues, type ScopeCatalog } from '../../domain/scope-form.js';
import type { ReadModel } from '../../read-model/read-model.js';
import { requestSubscription } from '../../storage/subscribers.js';
import type { FormState } from '../../web/form-parts.js';
import { SubscribeAnswerPage, SubscribeLimitPage, SubscribePage } from '../../web/pages/subscribe-page.js';
import { formValues } from '../operators/form-input.js';
import { renderPage, sendPage, sendPrivatePage } from '../pages/send-page.js';
import { routePlugin } from '../route-plugin.js';
import { SUBSCRIBE_LIMITS, takeAddressRequest, takeClientRequest } from './limits.js';
import type { SubscriptionRouteOptions } from './options.js';

const CONFIRM_HOURS = CONFIRMATION_LIFETIME_MS / (60 * 60_000);

const Name = Type.String({ maxLength: 255 });
const SubscribeQuery = Type.Object({
  region: Type.Optional(Name),
  category: Type.Optional(Name),
  service: Type.Optional(Name),
  // An incident page links its services as `component=1&component=2`.
  component: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 })])),
});

/** The catalog the forms choose from, once per version of the read model. */
export function catalogOf(model: ReadModel): ScopeCatalog {
  return model.memoize('subscriptions:catalog', () => scopeCatalog(model.components.values()));
}

/**
 * `/subscribe` (issue 18). The GET is a page like the public ones (the same for everyone who
 * comes with the same preset, with an ETag); the POST answers the same page whatever the address
 * was (new, waiting for confirmation, confirmed), so nobody learns who is subscribed. Storage
 * queues the right mail: a confirmation, or the confirmed address's own links.
 *
 * No CSRF token: a forged POST can only ask for a confirmation mail to an address, which anyone
 * can do with the form itself; the double opt-in and the rate limits are the protection. Over the
 * address's limit the answer is the same page and nothing is queued; over the client's limit
 * the answer is a 429, which depends on the client only and tells nothing of any address.
 */
const subscribeRoutes: FastifyPluginAsyncTypebox<SubscriptionRouteOptions> = async (app, { deps: { store, readModel, clock }, context, linkKey }) => {
  app.get('/subscribe', { schema: { hide: true, querystring: SubscribeQuery } }, async (request, reply) => {
    const model = await readModel.fresh(request);
    const catalog = catalogOf(model);
    const state: FormState = { values: scopeFormValues(presetScope(request.query, catalog)), problems: [] };
    return sendPage(request, reply, renderPage(h(SubscribePage, { context, state, catalog, confirmHours: CONFIRM_HOURS })), model);
  });

  app.post('/subscribe', { schema: { hide: true } }, async (request, reply) => {
    const values = formValues(request.body);
    const model = await readModel.fresh(request);
    const catalog = catalogOf(model);
    const address = readSubscriberEmail(values);
    const scope = readScopeForm(values, catalog);
    if (address.email === undefined || scope.scope === undefined) {
      const problems = [...(address.problem ? [address.problem] : []), ...scope.problems];
      return sendPrivatePage(request, reply, renderPage(h(SubscribePage, { context, state: { values, problems }, catalog, confirmHours: CONFIRM_HOURS })), 400);
    }
    const now = clock();
    if (!(await takeClientRequest(store, linkKey, request.ip, now))) {
      reply.header('retry-after', String(SUBSCRIBE_LIMITS.windowMs / 1000));
      return sendPrivatePage(request, reply, renderPage(h(SubscribeLimitPage, { context })), 429);
    }
    if (await takeAddressRequest(store, linkKey, address.email, now)) await requestSubscription(store, address.email, scope.scope, now);
    return sendPrivatePage(request, reply, renderPage(h(SubscribeAnswerPage, { context, confirmHours: CONFIRM_HOURS })));
  });
};

export default routePlugin('subscribe-page', subscribeRoutes);
