import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Type } from 'typebox';
import { sameToken, type SignedInOperator } from '../../auth/sessions.js';
import { parseId } from '../../domain/ids.js';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../../domain/notifications/message.js';
import { WHOLE_CLOUD } from '../../domain/notifications/scope.js';
import { readScopeForm, scopeCatalog, scopeFormValues } from '../../domain/scope-form.js';
import type { FieldProblem } from '../../domain/rules/operator-forms.js';
import { createWebhook } from '../../notify/new-webhook.js';
import { queueWebhookTest, recentDeliveries } from '../../storage/deliveries.js';
import { findWebhook, listWebhooks, removeWebhook, setWebhookEnabled } from '../../storage/webhooks.js';
import type { FormState } from '../../web/form-parts.js';
import type { PageContext } from '../../web/layout.js';
import { ErrorPage } from '../../web/pages/error-page.js';
import { WebhooksPage, type WebhookRow } from '../../web/pages/webhooks-page.js';
import { scopeText } from '../../web/scope-fields.js';
import type { RouteOptions } from '../deps.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { sessionViewOf } from '../pages/session-view.js';
import { requireOperator } from '../plugins/operator-session.js';
import { routePlugin } from '../route-plugin.js';
import { IdParam } from '../validation.js';
import { actorOf } from './events.js';
import { FormReader, formValues } from './form-input.js';

export interface WebhookRouteOptions extends RouteOptions {
  context: PageContext;
}

/** Recent deliveries shown per webhook: enough to see a pattern of failures, not a log. */
const SHOWN_DELIVERIES = 10;
const STALE_FORM = 'The form had expired or did not come from this site. Please reload the page and try again.';
/** A new webhook starts with everything of the whole cloud, which the operator narrows. */
const EMPTY_ADD_FORM: FormState = { values: { format: 'json', ...scopeFormValues(WHOLE_CLOUD) }, problems: [] };

const Params = Type.Object({ id: IdParam });

/**
 * `/webhooks` (issue 18), for operators and admins only (creators get 403): the webhooks with
 * their recent deliveries, failures and retries, why one is disabled, and the forms to add one
 * (its secret shown once, on the answer to the form), send a test, disable, enable and remove.
 * Every form carries the session's CSRF token; every change is audited under the operator's name
 * (by storage). Nothing of it is kept by a cache.
 */
const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRouteOptions> = async (app, { deps: { store, readModel, clock, allowPrivateWebhooks = false }, context }) => {
  app.addHook('onRequest', requireOperator);

  const operatorOf = (request: FastifyRequest): SignedInOperator => {
    if (!request.operator) throw new Error('the webhooks page ran without a session');
    return request.operator;
  };

  const sendWebhooksPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status: number, added?: { id: number; secret: string }) => {
    const model = await readModel.fresh(request);
    const catalog = scopeCatalog(model.components.values());
    const webhooks: WebhookRow[] = [];
    for (const webhook of await listWebhooks(store)) {
      const deliveries = await recentDeliveries(store, 'webhook', webhook.id, SHOWN_DELIVERIES);
      webhooks.push({ ...webhook, scope: scopeText(webhook.scope, catalog), deliveries });
    }
    const page = h(WebhooksPage, { context, operator: sessionViewOf(operatorOf(request), model), webhooks, catalog, form, added, allowPrivate: allowPrivateWebhooks });
    return sendPrivatePage(request, reply, renderPage(page), status);
  };

  const sendError = async (request: FastifyRequest, reply: FastifyReply, status: 403 | 404, title: string, message: string) => {
    const session = sessionViewOf(operatorOf(request), await readModel.fresh(request));
    return sendPrivatePage(request, reply, renderPage(h(ErrorPage, { context, title, message, operator: session })), status);
  };

  app.get('/webhooks', { schema: { hide: true } }, async (request, reply) => sendWebhooksPage(request, reply, EMPTY_ADD_FORM, 200));

  app.post('/webhooks', { schema: { hide: true } }, async (request, reply) => {
    const form = new FormReader(formValues(request.body));
    if (!sameToken(operatorOf(request).csrf, form.values.csrf)) return sendWebhooksPage(request, reply, form.refused([{ field: 'csrf', message: STALE_FORM }]), 403);
    const url = form.text('url').trim();
    const format = (WEBHOOK_FORMATS as readonly string[]).includes(form.text('format')) ? (form.text('format') as WebhookFormat) : undefined;
    const problems: FieldProblem[] = [];
    if (url === '') problems.push({ field: 'url', message: 'Enter the URL the deliveries go to.' });
    if (!format) problems.push({ field: 'format', message: 'Format: not a valid choice.' });
    const catalog = scopeCatalog((await readModel.fresh(request)).components.values());
    const scope = readScopeForm(form.values, catalog);
    problems.push(...scope.problems);
    if (problems.length > 0 || !format || !scope.scope) return sendWebhooksPage(request, reply, form.refused(problems), 400);
    const created = await createWebhook(store, { url, format, scope: scope.scope }, { allowPrivate: allowPrivateWebhooks, now: clock(), actor: actorOf(operatorOf(request)) });
    if (created.outcome === 'refused') return sendWebhooksPage(request, reply, form.refused([{ field: 'url', message: `This URL is refused: ${created.problem}.` }]), 400);
    request.log.info({ webhook: created.webhook.id, actor: actorOf(operatorOf(request)) }, 'webhook added');
    // The secret goes out on this answer only (never in a redirect's URL): the page is no-store.
    return sendWebhooksPage(request, reply, EMPTY_ADD_FORM, 200, { id: created.webhook.id, secret: created.webhook.secret });
  });

  /** The buttons: each is its own form, checked for its token, and comes back to the list. */
  const action = (path: string, act: (id: number, actor: string) => Promise<boolean>, gone = false) =>
    app.post(path, { schema: { hide: true, params: Params } }, async (request, reply) => {
      const operator = operatorOf(request);
      if (!sameToken(operator.csrf, formValues(request.body).csrf)) return sendError(request, reply, 403, 'Forbidden', STALE_FORM);
      const id = parseId(request.params.id);
      if (id === undefined || !(await act(id, actorOf(operator)))) return sendError(request, reply, 404, 'Not found', `There is no webhook with the number ${request.params.id}.`);
      return reply.redirect(gone ? '/webhooks' : `/webhooks#webhook-${id}`, 303);
    });
  action('/webhooks/:id/test', async (id) => {
    // A test goes out to a disabled webhook too: that is how one checks a receiver before enabling it.
    if (!(await findWebhook(store, id))) return false;
    await queueWebhookTest(store, id, clock());
    return true;
  });
  action('/webhooks/:id/enable', (id, actor) => setWebhookEnabled(store, id, true, clock(), actor));
  action('/webhooks/:id/disable', (id, actor) => setWebhookEnabled(store, id, false, clock(), actor));
  action('/webhooks/:id/remove', (id, actor) => removeWebhook(store, id, clock(), actor), true);
};

export default routePlugin('webhooks-page', webhookRoutes);
