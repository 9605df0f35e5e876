import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Type } from 'typebox';
import { CONFIRMATION_LIFETIME_MS, openSubscriptionLink, signSubscriptionLink, type LinkPurpose } from '../../auth/subscription-links.js';
import { readScopeForm, scopeFormValues } from '../../domain/scope-form.js';
import { changeSubscriberScope, confirmSubscriber, findSubscriber, removeSubscriber, type Subscriber } from '../../storage/subscribers.js';
import type { FormState } from '../../web/form-parts.js';
import { ConfirmedPage, ConfirmPage, LinkProblemPage, ManagePage, UnsubscribedPage, UnsubscribePage } from '../../web/pages/subscription-pages.js';
import { scopeText } from '../../web/scope-fields.js';
import { formValues } from '../operators/form-input.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { routePlugin } from '../route-plugin.js';
import type { SubscriptionRouteOptions } from './options.js';
import { catalogOf } from './subscribe.js';

/** Who the audit log names for what a subscriber does through their links. */
const SUBSCRIBER_ACTOR = 'public';

const TokenParams = Type.Object({ token: Type.String() });

/**
 * The request log of these routes shows the path without its token: the token is the
 * subscriber's key to their subscription, and tells their id.
 */
const tokenlessRequestLog = {
  req: (request: FastifyRequest) => ({ method: request.method, url: request.url.replace(/^(\/subscriptions\/[a-z]+\/)[^?]*/, '$1…').split('?')[0], host: request.host, remoteAddress: request.ip }),
};

const NOT_VALID: Record<LinkPurpose, string> = {
  confirm: `This confirmation link is not valid, or it has expired: a confirmation link works for ${CONFIRMATION_LIFETIME_MS / 3_600_000} hours. Subscribe again to get a new one.`,
  manage: 'This link is not valid. Use the link of a recent mail from us, or subscribe again.',
  unsubscribe: 'This unsubscribe link is not valid. Use the link of a recent mail from us.',
};

type Opened = { subscriber: Subscriber; self: string; answer?: undefined } | { subscriber?: undefined; self?: undefined; answer: FastifyReply };

const GONE = 'This subscription does not exist any more: the address was unsubscribed, removed, or not confirmed in time. Subscribe again if you want our mails.';

/**
 * The links of subscribers' mails (issue 18), `/subscriptions/<purpose>/<token>`: confirm the
 * address, change what it receives, unsubscribe. The signed token is the only proof: the server
 * keeps no token and asks for no cookie (RFC 8058's one-click POST sends none). A GET shows a
 * page with a button and changes nothing, since mail scanners open links; the POST acts. The
 * pages show the address to whoever holds its link, and no cache keeps them.
 */
const linkRoutes: FastifyPluginAsyncTypebox<SubscriptionRouteOptions> = async (app, { deps: { store, readModel, clock }, context, linkKey }) => {
  // RFC 8058 asks one-click unsubscribes to be posted as multipart/form-data (or urlencoded, which
  // formbody reads); their body says only "List-Unsubscribe=One-Click", which nothing here reads.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 8 * 1024 }, (_request, _body, done) => done(null, {}));

  const route = { schema: { hide: true, params: TokenParams }, logSerializers: tokenlessRequestLog };
  const linkOf = (purpose: LinkPurpose, id: number) => `/subscriptions/${purpose}/${signSubscriptionLink(linkKey, purpose, id)}`;

  const problem = (request: FastifyRequest, reply: FastifyReply, status: 400 | 404, title: string, message: string) =>
    sendPrivatePage(request, reply, renderPage(h(LinkProblemPage, { context, title, message })), status);

  /** The subscriber a link names, or the answer sent that it names none. */
  const open = async (request: FastifyRequest, reply: FastifyReply, purpose: LinkPurpose, token: string): Promise<Opened> => {
    reply.header('x-robots-tag', 'noindex');
    const id = openSubscriptionLink(linkKey, purpose, token, clock());
    if (id === undefined) return { answer: problem(request, reply, 400, 'Link not valid', NOT_VALID[purpose]) };
    const subscriber = await findSubscriber(store, id);
    if (!subscriber) return { answer: problem(request, reply, 404, 'Subscription not found', GONE) };
    // After the check the token holds only base64url, digits and dots: safe to write back as the form's action.
    return { subscriber, self: `/subscriptions/${purpose}/${token}` };
  };

  const describe = async (request: FastifyRequest, subscriber: Subscriber) => {
    const catalog = catalogOf(await readModel.fresh(request));
    return { catalog, scope: scopeText(subscriber.scope, catalog) };
  };

  app.get('/subscriptions/confirm/:token', route, async (request, reply) => {
    const { subscriber, self, answer } = await open(request, reply, 'confirm', request.params.token);
    if (!subscriber) return answer;
    const { scope } = await describe(request, subscriber);
    const page =
      subscriber.confirmedAt === null
        ? renderPage(h(ConfirmPage, { context, email: subscriber.email, scope, action: self }))
        : renderPage(h(ConfirmedPage, { context, email: subscriber.email, scope, manage: linkOf('manage', subscriber.id), already: true }));
    return sendPrivatePage(request, reply, page);
  });

  app.post('/subscriptions/confirm/:token', route, async (request, reply) => {
    const { subscriber, answer } = await open(request, reply, 'confirm', request.params.token);
    if (!subscriber) return answer;
    if (!(await confirmSubscriber(store, subscriber.id, clock()))) return problem(request, reply, 404, 'Subscription not found', GONE);
    const { scope } = await describe(request, subscriber);
    const page = h(ConfirmedPage, { context, email: subscriber.email, scope, manage: linkOf('manage', subscriber.id), already: subscriber.confirmedAt !== null });
    return sendPrivatePage(request, reply, renderPage(page));
  });

  const managePage = async (request: FastifyRequest, reply: FastifyReply, subscriber: Subscriber, self: string, state: FormState | undefined, status = 200) => {
    const { catalog, scope } = await describe(request, subscriber);
    const page = h(ManagePage, {
      context,
      email: subscriber.email,
      scope,
      state: state ?? { values: scopeFormValues(subscriber.scope), problems: [] },
      catalog,
      action: self,
      unsubscribe: linkOf('unsubscribe', subscriber.id),
      saved: request.method === 'POST' && status === 200,
    });
    return sendPrivatePage(request, reply, renderPage(page), status);
  };

  app.get('/subscriptions/manage/:token', route, async (request, reply) => {
    const { subscriber, self, answer } = await open(request, reply, 'manage', request.params.token);
    if (!subscriber) return answer;
    return managePage(request, reply, subscriber, self, undefined);
  });

  app.post('/subscriptions/manage/:token', route, async (request, reply) => {
    const { subscriber, self, answer } = await open(request, reply, 'manage', request.params.token);
    if (!subscriber) return answer;
    const values = formValues(request.body);
    const form = readScopeForm(values, catalogOf(await readModel.fresh(request)));
    if (!form.scope) return managePage(request, reply, subscriber, self, { values, problems: form.problems }, 400);
    if (!(await changeSubscriberScope(store, subscriber.id, form.scope, clock(), SUBSCRIBER_ACTOR))) return problem(request, reply, 404, 'Subscription not found', GONE);
    return managePage(request, reply, { ...subscriber, scope: form.scope }, self, undefined);
  });

  app.get('/subscriptions/unsubscribe/:token', route, async (request, reply) => {
    const { subscriber, self, answer } = await open(request, reply, 'unsubscribe', request.params.token);
    if (!subscriber) return answer;
    return sendPrivatePage(request, reply, renderPage(h(UnsubscribePage, { context, email: subscriber.email, action: self })));
  });

  // The button of the page above, and RFC 8058's one-click POST: unsubscribes at once. Asked
  // again (a mail client retrying), the address is gone already, which is what was asked for.
  app.post('/subscriptions/unsubscribe/:token', route, async (request, reply) => {
    reply.header('x-robots-tag', 'noindex');
    const id = openSubscriptionLink(linkKey, 'unsubscribe', request.params.token, clock());
    if (id === undefined) return problem(request, reply, 400, 'Link not valid', NOT_VALID.unsubscribe);
    await removeSubscriber(store, id, clock(), SUBSCRIBER_ACTOR);
    return sendPrivatePage(request, reply, renderPage(h(UnsubscribedPage, { context })));
  });
};

export default routePlugin('subscription-links', linkRoutes);
