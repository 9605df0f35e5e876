import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../../domain/notifications/message.js';
import { MAX_SCOPE_COMPONENTS, parseScope, WHOLE_CLOUD } from '../../domain/notifications/scope.js';
import { createWebhook } from '../../notify/new-webhook.js';
import { queueWebhookTest, recentDeliveries, type DeliveryRecord } from '../../storage/deliveries.js';
import { findWebhook, listWebhooks, removeWebhook, setWebhookEnabled, type Webhook } from '../../storage/webhooks.js';
import type { RouteOptions } from '../deps.js';
import { HttpError } from '../errors.js';
import { apiActor, requireRole } from '../plugins/api-auth.js';
import { routePlugin } from '../route-plugin.js';
import { IdParam } from '../validation.js';
import { scopeCatalog, type ScopeCatalog } from '../../domain/scope-form.js';
import { scopeText } from '../../web/scope-fields.js';
import { scopeCatalogProblem } from '../webhook-scope.js';
import { pathId } from './errors.js';
import { ErrMsgV2 } from './schemas.js';

const Rfc3339 = Type.String({ format: 'date-time' });
const iso = (ms: number) => new Date(ms).toISOString();

const FORMATS_TOLD = 'json: ours (the event as API v2 shows it, and what changed); slack, teams, discord: their incoming-webhook shapes';
const Format = Type.Union([Type.Literal(WEBHOOK_FORMATS[0]), Type.Literal(WEBHOOK_FORMATS[1]), Type.Literal(WEBHOOK_FORMATS[2]), Type.Literal(WEBHOOK_FORMATS[3])], { description: FORMATS_TOLD });

const PlaceSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('cloud'), Type.Literal('region'), Type.Literal('category'), Type.Literal('components')]),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'kind region; with kind category, the category in this region only' })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'kind category' })),
    componentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_SCOPE_COMPONENTS, description: 'kind components' })),
  },
  { description: 'where: the whole cloud, a region, a category (in one region or all), or chosen components' },
);
const incidentsDescription = 'incidents from this impact up: 1 every incident, 2 major incidents and outages, 3 outages; null none';

const ScopeSchema = Type.Object({
  place: PlaceSchema,
  incidents: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()], { description: incidentsDescription }),
  maintenances: Type.Boolean(),
  notices: Type.Boolean(),
});

/** What a new webhook may name; what it leaves out is the whole cloud's everything. */
const NewScopeSchema = Type.Object(
  {
    place: Type.Optional(PlaceSchema),
    incidents: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()], { description: `${incidentsDescription} (default 1)` })),
    maintenances: Type.Optional(Type.Boolean({ description: 'default true' })),
    notices: Type.Optional(Type.Boolean({ description: 'default true' })),
  },
  { description: 'what the webhook hears of; default: every incident, maintenance and notice of the whole cloud' },
);

const WebhookV2 = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  format: Format,
  scope: ScopeSchema,
  scope_description: Type.String({ description: 'the scope in words' }),
  enabled: Type.Boolean(),
  disabled_reason: Type.Optional(Type.String({ description: 'why it is disabled (every delivery failed for a day, or an operator disabled it); absent while enabled' })),
  failing_since: Type.Optional(Rfc3339),
  created_by: Type.String(),
  created_at: Rfc3339,
});

const NewWebhookV2 = Type.Object({
  ...WebhookV2.properties,
  secret: Type.String({ description: 'the signing secret, shown this once: keep it where the receiver verifies the x-status-dashboard-signature header' }),
});

const DeliveryV2 = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('event'), Type.Literal('test')]),
  event_id: Type.Optional(Type.Integer()),
  state: Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')], {
    description: 'pending: waiting for its (next) try; sending: on its way; sent: the receiver answered 2xx; failed: given up',
  }),
  attempts: Type.Integer({ description: 'tries so far' }),
  last_error: Type.Optional(Type.String({ description: 'what the last failed try got' })),
  next_attempt_at: Type.Optional(Rfc3339),
  sent_at: Type.Optional(Rfc3339),
  created_at: Rfc3339,
});

const WebhookDetailV2 = Type.Object({ ...WebhookV2.properties, deliveries: Type.Array(DeliveryV2, { description: 'the newest 20, newest first' }) });

const NewWebhookSchema = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2_000, description: 'http:// or https://, no user or password, no #fragment' }),
  // An enum rather than Format's union: ajv then names the property once, with the choices.
  format: Type.Optional(Type.Unsafe<WebhookFormat>({ type: 'string', enum: [...WEBHOOK_FORMATS], description: `${FORMATS_TOLD} (default json)` })),
  scope: Type.Optional(NewScopeSchema),
});

const REFUSALS = {
  400: { ...ErrMsgV2, description: 'the body or id breaks a rule (a URL that is refused, a scope that matches nothing); the message says which' },
  401: { ...ErrMsgV2, description: 'no valid token of someone with a role (`not authenticated`)' },
  403: { ...ErrMsgV2, description: 'a creator: webhooks are for operators and admins' },
  404: { ...ErrMsgV2, description: 'no such webhook' },
} as const;

const Params = Type.Object({ webhookId: IdParam });

/**
 * Webhooks through API v2 (issue 18), for operators and admins (API tokens from the CLI are
 * admins'). The signing secret is shown once, in the answer that creates the webhook; every
 * change is audited as `api:<caller>` by storage.
 */
const webhooks: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock, allowPrivateWebhooks } }) => {
  app.addHook('onRequest', async (_request, reply) => {
    // Operators' data, and a secret in one answer: nothing keeps a copy.
    reply.header('cache-control', 'private, no-store');
  });
  const guard = { onRequest: app.requireApiToken };
  const common = { tags: ['webhooks'], security: [{ bearerAuth: [] }] };
  const catalogOf = async (request: FastifyRequest): Promise<ScopeCatalog> => scopeCatalog((await readModel.fresh(request)).components.values());

  app.get('/webhooks', { ...guard, schema: { ...common, summary: 'The webhooks (never their secrets)', response: { 200: Type.Array(WebhookV2), ...REFUSALS } } }, async (request) => {
    requireRole(request, 'operator');
    const catalog = await catalogOf(request);
    return (await listWebhooks(store)).map((webhook) => webhookV2(webhook, catalog));
  });

  app.post(
    '/webhooks',
    {
      ...guard,
      schema: {
        ...common,
        summary: 'Add a webhook; the answer holds its signing secret, this once',
        description:
          'The URL must not lead to a loopback, private or link-local address (nor a name that resolves only to such) unless the server runs with SD_WEBHOOK_ALLOW_PRIVATE; a name that does not resolve is refused too. The scope must name regions, categories or components the catalog has.',
        body: NewWebhookSchema,
        response: { 201: NewWebhookV2, ...REFUSALS },
      },
    },
    async (request, reply) => {
      requireRole(request, 'operator');
      const { url, format = 'json' } = request.body;
      const scope = parseScope({ ...WHOLE_CLOUD, ...request.body.scope });
      if (!scope) throw new HttpError(400, 'scope has invalid format: place needs region (kind region), category (kind category) or componentIds (kind components)');
      const catalog = await catalogOf(request);
      const problem = scopeCatalogProblem(scope, catalog.components);
      if (problem) throw new HttpError(400, problem);
      const created = await createWebhook(store, { url, format, scope }, { allowPrivate: allowPrivateWebhooks ?? false, now: clock(), actor: apiActor(request) });
      if (created.outcome === 'refused') throw new HttpError(400, `url refused: ${created.problem}`);
      request.log.info({ webhook: created.webhook.id, actor: apiActor(request) }, 'webhook added');
      return reply.code(201).send({ ...webhookV2(created.webhook, catalog), secret: created.webhook.secret });
    },
  );

  app.get(
    '/webhooks/:webhookId',
    { ...guard, schema: { ...common, summary: 'One webhook with its recent deliveries', params: Params, response: { 200: WebhookDetailV2, ...REFUSALS } } },
    async (request) => {
      requireRole(request, 'operator');
      const webhook = await existing(request.params.webhookId);
      const deliveries = await recentDeliveries(store, 'webhook', webhook.id);
      return { ...webhookV2(webhook, await catalogOf(request)), deliveries: deliveries.map(deliveryV2) };
    },
  );

  app.patch(
    '/webhooks/:webhookId',
    {
      ...guard,
      schema: {
        ...common,
        summary: 'Enable a webhook (after it was disabled) or disable it',
        description: 'Enabling forgets why it was disabled and since when it failed; deliveries given up meanwhile are not sent again.',
        params: Params,
        body: Type.Object({ enabled: Type.Boolean() }),
        response: { 200: WebhookV2, ...REFUSALS },
      },
    },
    async (request) => {
      requireRole(request, 'operator');
      const id = (await existing(request.params.webhookId)).id;
      if (!(await setWebhookEnabled(store, id, request.body.enabled, clock(), apiActor(request)))) throw new HttpError(404, 'webhook does not exist');
      return webhookV2(await existing(String(id)), await catalogOf(request));
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    {
      ...guard,
      schema: { ...common, summary: 'Remove a webhook; what still waits for it is dropped', params: Params, response: { 204: Type.Null({ description: 'removed' }), ...REFUSALS } },
    },
    async (request, reply) => {
      requireRole(request, 'operator');
      const id = pathId(request.params.webhookId, 'webhook invalid format');
      if (!(await removeWebhook(store, id, clock(), apiActor(request)))) throw new HttpError(404, 'webhook does not exist');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:webhookId/test',
    {
      ...guard,
      schema: {
        ...common,
        summary: 'Send a test message: queued now, sent within seconds (also to a disabled webhook)',
        params: Params,
        response: { 202: Type.Object({ delivery_id: Type.Integer({ description: 'see it in GET /webhooks/{webhookId}' }) }), ...REFUSALS },
      },
    },
    async (request, reply) => {
      requireRole(request, 'operator');
      const webhook = await existing(request.params.webhookId);
      const deliveryId = await queueWebhookTest(store, webhook.id, clock());
      return reply.code(202).send({ delivery_id: deliveryId });
    },
  );

  async function existing(text: string): Promise<Webhook> {
    const webhook = await findWebhook(store, pathId(text, 'webhook invalid format'));
    if (!webhook) throw new HttpError(404, 'webhook does not exist');
    return webhook;
  }
};

/** A webhook as API v2 shows it: never its secret (the serializer keeps only what the schema names). */
function webhookV2(webhook: Webhook, catalog: ScopeCatalog) {
  return {
    id: webhook.id,
    url: webhook.url,
    format: webhook.format,
    scope: webhook.scope,
    scope_description: scopeText(webhook.scope, catalog),
    enabled: webhook.enabled,
    ...(webhook.enabled || webhook.disabledReason === null ? {} : { disabled_reason: webhook.disabledReason }),
    ...(webhook.failingSince === null ? {} : { failing_since: iso(webhook.failingSince) }),
    created_by: webhook.createdBy,
    created_at: iso(webhook.createdAt),
  };
}

function deliveryV2(delivery: DeliveryRecord) {
  return {
    id: delivery.id,
    kind: delivery.kind === 'test' ? ('test' as const) : ('event' as const),
    ...(delivery.eventId === null ? {} : { event_id: delivery.eventId }),
    state: delivery.state,
    attempts: delivery.attempts,
    ...(delivery.lastError === null ? {} : { last_error: delivery.lastError }),
    ...(delivery.state === 'pending' ? { next_attempt_at: iso(delivery.dueAt) } : {}),
    ...(delivery.sentAt === null ? {} : { sent_at: iso(delivery.sentAt) }),
    created_at: iso(delivery.createdAt),
  };
}

export default routePlugin('v2-webhooks', webhooks);
