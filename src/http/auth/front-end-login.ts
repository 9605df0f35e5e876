import { createHash, randomBytes } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callbackUrlOf } from '../../auth/callback-urls.js';
import { clientOf } from '../../auth/client-address.js';
import type { OidcProvider } from '../../auth/oidc-login.js';
import { OIDC_LOGIN_LIFETIME } from '../../auth/oidc-login-state.js';
import { claimLoginTokens, keepLoginTokens } from '../../storage/auth-handoffs.js';
import { keepAuthLogin, takeAuthLogin } from '../../storage/auth-logins.js';
import { baseUrl } from '../base-url.js';
import type { RouteOptions } from '../deps.js';
import { oidcFailureReason, pathOnlyRequestLog } from '../oidc-log.js';
import { clearCookie, cookieOptions } from '../plugins/operator-session.js';
import { FRONT_END_CORS } from '../v2/cors.js';
import { errMsg, v2ErrorHandler } from '../v2/errors.js';
import { HttpError } from '../errors.js';
import { routePlugin } from '../route-plugin.js';

export const AUTH_LOGIN_COOKIE = 'sd_auth_login';
const CALLBACK_PATH = '/auth/callback';
const HANDOFF_LIFETIME = 5 * 60_000;
const MISSING_HANDOFF = 'missing data for code verifier';
/** The front end's challenge: hex SHA-256 of its verifier, as /auth/token computes it. */
const CHALLENGE_PATTERN = /^[0-9a-f]{64}$/;
/**
 * Per client address, route and instance. Guessing is hopeless anyway (the front end's verifier
 * is a random UUID, 122 bits); the limit bounds what a flood costs us and the provider.
 */
const RATE_LIMIT = { max: 30, timeWindow: 60_000 };
const TokensSchema = Type.Object({ access_token: Type.String(), refresh_token: Type.Optional(Type.String()) });

interface LoginState {
  callbackUrl: string;
  codeChallenge: string;
}

/** The state the front end sends: base64 of {"callback_url", "code_challenge"}, padded or not, with an allowed callback. */
function readState(state: string, allowed: ReadonlySet<string>): LoginState {
  let parsed: { callback_url?: unknown; code_challenge?: unknown } | null;
  try {
    // The front end puts standard base64 in the query unencoded: a "+" in it arrives as a space.
    parsed = JSON.parse(Buffer.from(state.replaceAll(' ', '+'), 'base64').toString('utf8')) as typeof parsed;
  } catch {
    throw new HttpError(400, 'state is invalid');
  }
  const { callback_url: callback, code_challenge: codeChallenge } = parsed ?? {};
  if (typeof callback !== 'string' || typeof codeChallenge !== 'string' || !CHALLENGE_PATTERN.test(codeChallenge)) throw new HttpError(400, 'state is invalid');
  const callbackUrl = callbackUrlOf(callback);
  if (!callbackUrl || !allowed.has(callbackUrl)) throw new HttpError(400, 'callback_url is not allowed');
  return { callbackUrl, codeChallenge };
}

/**
 * The React front end's login (reference v3 §5) in front of the OpenID Connect provider. The
 * login is ours: its own state and PKCE verifier at the provider, kept in the database under a
 * cookie of the browser that started it, so only that browser's callback finishes it (on any
 * instance). The tokens then wait for the code verifier matching the front end's challenge, once,
 * from the client address that came back and the callback's page (its Origin).
 */
const authRoutes: FastifyPluginAsyncTypebox<RouteOptions & { provider: OidcProvider; callbackUrls: readonly string[] }> = async (
  app,
  { deps: { store, clock, publicUrl }, provider, callbackUrls },
) => {
  await app.register(cors, FRONT_END_CORS);
  await app.register(rateLimit, { global: false });
  app.setErrorHandler(v2ErrorHandler);
  const allowed = new Set(callbackUrls);
  const callbackOf = (request: { protocol: string; host: string }) => `${baseUrl(publicUrl, request)}${CALLBACK_PATH}`;

  app.get(
    '/login',
    { config: { rateLimit: RATE_LIMIT }, schema: { summary: 'Start a login at the OpenID Connect provider', tags: ['auth'], querystring: Type.Object({ state: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const { state } = request.query;
      if (!state) throw new HttpError(400, 'state is not present in the query parameters');
      const { callbackUrl, codeChallenge } = readState(state, allowed);
      const { url, pending } = await provider.startLogin(callbackOf(request));
      const id = randomBytes(32).toString('base64url');
      const now = clock();
      await keepAuthLogin(store, { id, ...pending, callbackUrl, codeChallenge, expiresAt: now + OIDC_LOGIN_LIFETIME * 1000 }, now);
      reply.setCookie(AUTH_LOGIN_COOKIE, id, cookieOptions(request, publicUrl, OIDC_LOGIN_LIFETIME, CALLBACK_PATH));
      return reply.header('cache-control', 'private, no-store').redirect(url.href, 303);
    },
  );

  app.get(
    '/callback',
    {
      schema: { summary: 'Where the provider sends the browser back', tags: ['auth'], querystring: Type.Object({ state: Type.String(), code: Type.Optional(Type.String()) }, { additionalProperties: true }) },
      logSerializers: pathOnlyRequestLog,
    },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      const id = request.cookies[AUTH_LOGIN_COOKIE] ?? '';
      clearCookie(reply, request, publicUrl, AUTH_LOGIN_COOKIE, CALLBACK_PATH);
      const login = await takeAuthLogin(store, id, request.query.state, clock());
      // The allow-list may have changed since the login started.
      if (!login || !allowed.has(login.callbackUrl)) {
        request.log.warn('front-end login refused: this browser started no login with this state (cookie missing, expired or of another login)');
        return reply.code(400).send(errMsg('no login in progress for this browser'));
      }
      const back = new URL(login.callbackUrl);
      try {
        const tokens = await provider.exchangeCode(new URL(request.url, callbackOf(request)), login);
        const now = clock();
        await keepLoginTokens(store, login.codeChallenge, tokens, { address: clientOf(request.ip), origin: back.origin }, now + HANDOFF_LIFETIME, now);
      } catch (error) {
        request.log.warn({ reason: oidcFailureReason(error) }, 'login failed');
        back.searchParams.set('error', 'login failed');
      }
      return reply.redirect(back.href, 303);
    },
  );

  app.post(
    '/token',
    { config: { rateLimit: RATE_LIMIT }, schema: { summary: 'Hand over the tokens of a login, once, to the client that logged in', tags: ['auth'], response: { 200: TokensSchema } } },
    async (request) => {
      const verifier = (request.body as { code_verifier?: unknown } | undefined)?.code_verifier;
      if (typeof verifier !== 'string' || verifier === '') throw new HttpError(400, 'failed to extract code verifier');
      const handoff = await claimLoginTokens(store, createHash('sha256').update(verifier).digest('hex'), clock());
      if (!handoff) throw new HttpError(400, MISSING_HANDOFF);
      // A browser always sends Origin on the front end's cross-origin POST; the address is the one that came back from the provider.
      const sameOrigin = request.headers.origin === handoff.client.origin;
      if (!sameOrigin || clientOf(request.ip) !== handoff.client.address) {
        request.log.warn({ loginAddress: handoff.client.address, sameOrigin }, 'token hand-off refused: claimed by another client than the one that logged in; the tokens are discarded');
        throw new HttpError(400, MISSING_HANDOFF);
      }
      return handoff.tokens;
    },
  );

  const refreshToken = (body: unknown) => {
    const token = (body as { refresh_token?: unknown } | undefined)?.refresh_token;
    if (typeof token !== 'string' || token === '') throw new HttpError(400, 'refresh token is missing');
    return token;
  };

  app.post('/refresh', { config: { rateLimit: RATE_LIMIT }, schema: { summary: 'New tokens for a refresh token', tags: ['auth'], response: { 200: TokensSchema } } }, async (request) => {
    const token = refreshToken(request.body);
    try {
      return await provider.refresh(token);
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'refresh refused');
      throw new HttpError(400, 'the provider refused the refresh token');
    }
  });

  app.put('/logout', { config: { rateLimit: RATE_LIMIT }, schema: { summary: 'End the session at the provider', tags: ['auth'] } }, async (request, reply) => {
    const token = refreshToken(request.body);
    try {
      await provider.logout(token);
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'logout refused');
      throw new HttpError(400, 'the provider refused the logout');
    }
    return reply.code(204).send();
  });
};

export default routePlugin('front-end-login', authRoutes);
