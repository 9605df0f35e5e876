import Fastify, { type FastifyInstance, type RouteOptions as FastifyRouteOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HttpDeps } from './deps.js';
import apiAuth, { type ApiAuthSettings } from './plugins/api-auth.js';
import errorHandler from './plugins/error-handler.js';
import answerHeaders from './plugins/answer-headers.js';
import healthRoutes from './health.js';
import metricsRoute, { timeRequests } from './metrics.js';
import { DEFAULT_HTTP_LIMITS, serverOptions, type HttpLimits } from './limits.js';
import openapi from './plugins/openapi.js';
import { closeStalledConnections } from './stalled-connections.js';
import textInput from './plugins/text-input.js';
import operatorSession from './plugins/operator-session.js';
import operatorRoutes from './operators/index.js';
import auditRoutes from './operators/audit.js';
import oidcLoginRoutes from './operators/oidc-login.js';
import { deriveSessionKeys } from '../auth/sessions.js';
import type { OidcProvider } from '../auth/oidc-login.js';
import type { RoleGroups } from '../domain/roles.js';
import authRoutes from './auth/front-end-login.js';
import feeds from './feeds/routes.js';
import pages from './pages/index.js';
import statuspage from './statuspage/index.js';
import banner from './banner.js';
import subscriptionRoutes from './subscriptions/index.js';
import apiV1 from './v1/index.js';
import apiV2 from './v2/index.js';
import { serializerCompiler, validatorCompiler } from './validation.js';
import { loadAssets } from '../web/assets.js';
import type { PageContext } from '../web/layout.js';
import { DEFAULT_SITE, type SiteSettings } from '../web/site.js';

export interface AppOptions extends HttpDeps {
  apiTokens: ApiAuthSettings;
  logLevel?: string;
  /** where the log goes (default stdout); the tests read it */
  logStream?: { write(line: string): void };
  /** the OpenID Connect provider behind `/auth/*` and the operators' single sign-on, when one is configured */
  login?: OidcProvider | undefined;
  /** the groups of the roles at the provider (SD_ADMINS_GROUP, SD_OPERATORS_GROUP, SD_CREATORS_GROUP); none: everyone it vouches for is an admin */
  roleGroups?: RoleGroups | undefined;
  /** SD_AUTH_CALLBACK_URLS: where `/auth/callback` may send the browser (origin and path) */
  authCallbackUrls?: readonly string[];
  /** how the operator login's slowdown waits (default: a timer; the tests pass one that does not wait) */
  sleep?: (ms: number) => Promise<unknown>;
  /** SD_TRUST_PROXY: whose X-Forwarded-* headers count for the client address, protocol and host */
  trustProxy?: false | number | readonly string[];
  /** the name and logo the pages show (SD_TITLE, SD_LOGO) */
  site?: SiteSettings;
  /** sees every route as it is added (the tests use it to check the OpenAPI document) */
  onRoute?: (route: FastifyRouteOptions) => void;
  /** connections and their timeouts (SD_HTTP_*) */
  limits?: HttpLimits;
  /**
   * Email subscriptions (issue 18), when an SMTP relay is configured: `/subscribe`, the pages of
   * the mails' links, and "Subscribe" on the public pages. Undefined: none of it exists.
   */
  subscriptions?: { linkKey: Buffer } | undefined;
  /** SD_METRICS_TOKEN: the bearer token `/metrics` asks for; undefined: it is open */
  metricsToken?: string | undefined;
}

/** Builds the HTTP application; it never listens (server.ts does), so tests inject requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Tokens and session cookies never reach the logs.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    ...serverOptions(limits),
    trustProxy: proxyTrust(options.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = limits.maxConnections;
  closeStalledConnections(app.server, limits.idleTimeoutMs);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const stopWatching = options.store.health.onChange((state) => {
    if (state.up) app.log.info('the database answers again: reads are current and writes accepted');
    else app.log.error({ reason: state.reason }, 'the database cannot be reached: reads answer from memory (marked stale), writes get 503');
  });
  app.addHook('onClose', async () => stopWatching());
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  if (options.metrics) timeRequests(app, options.metrics);

  const deps: HttpDeps = { store: options.store, readModel: options.readModel, clock: options.clock, publicUrl: options.publicUrl, allowPrivateWebhooks: options.allowPrivateWebhooks, metrics: options.metrics };
  const sessionKeys = deriveSessionKeys(options.apiTokens.secretKey);
  const site = options.site ?? DEFAULT_SITE;
  // Without subscriptions the context has no `subscribe` at all: the pages render as they did before.
  const context: PageContext = { site, assets: loadAssets(site), ...(options.subscriptions ? { subscribe: true } : {}) };
  await app.register(errorHandler, { context });
  await app.register(answerHeaders, { publicUrl: options.publicUrl, formOrigins: options.login ? [options.login.origin] : [] });
  await app.register(textInput);
  const roles = options.roleGroups ?? {};
  await app.register(operatorSession, { deps, keys: sessionKeys, roles });
  await app.register(openapi);
  await app.register(healthRoutes, { deps });
  if (options.metrics) await app.register(metricsRoute, { metrics: options.metrics, token: options.metricsToken });
  await app.register(apiAuth, options.apiTokens);
  await app.register(apiV1, { prefix: '/api/v1', deps });
  await app.register(apiV2, { prefix: '/api/v2', deps });
  await app.register(apiV2, { prefix: '/v2', deps });
  await app.register(statuspage, { prefix: '/api/v2', deps, context });
  await app.register(banner, { deps, context });
  await app.register(feeds, { deps });
  await app.register(pages, { deps, context });
  await app.register(operatorRoutes, { deps, context, keys: sessionKeys, provider: options.login, sleep: options.sleep });
  await app.register(auditRoutes, { deps, context });
  if (options.subscriptions) await app.register(subscriptionRoutes, { deps, context, linkKey: options.subscriptions.linkKey });
  if (options.login) {
    await app.register(authRoutes, { prefix: '/auth', deps, provider: options.login, callbackUrls: options.authCallbackUrls ?? [] });
    await app.register(oidcLoginRoutes, { deps, context, keys: sessionKeys, provider: options.login, roles });
  }
  return app;
}

/**
 * SD_TRUST_PROXY as Fastify takes it. A hop count becomes a function: Fastify itself trusts
 * nobody when given a number, as a count cannot tell a proxy from a client that reaches the
 * instance directly (the README says to let only the proxies reach it).
 */
function proxyTrust(setting: AppOptions['trustProxy']) {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting ? [...setting] : false;
}
