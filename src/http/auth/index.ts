import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OidcProvider } from '../../auth/oidc-login.js';
import { claimLoginTokens, keepLoginTokens } from '../../storage/auth-handoffs.js';
import { baseUrl } from '../base-url.js';
import type { RouteOptions } from '../deps.js';
import { oidcFailureReason, pathOnlyRequestLog } from '../oidc-log.js';
import { FRONT_END_CORS } from '../v2/cors.js';
import { V2Error, v2ErrorHandler } from '../v2/errors.js';

const HANDOFF_LIFETIME = 5 * 60_000;
const TokensSchema = Type.Object({ access_token: Type.String(), refresh_token: Type.Optional(Type.String()) });

interface LoginState {
  callbackUrl: string;
  codeChallenge: string;
}

/** The state the front end sends: base64 of {"callback_url", "code_challenge"}, padded or not. */
function readState(state: string): LoginState {
  try {
    const parsed = JSON.parse(Buffer.from(state, 'base64').toString('utf8')) as { callback_url?: unknown; code_challenge?: unknown };
    const callbackUrl = String(parsed.callback_url ?? '');
    if (typeof parsed.code_challenge === 'string' && parsed.code_challenge !== '' && /^https?:$/.test(new URL(callbackUrl).protocol)) {
      return { callbackUrl, codeChallenge: parsed.code_challenge };
    }
  } catch {
    // falls through to the refusal
  }
  throw new V2Error(400, 'state is invalid');
}

/**
 * The React front end's login (reference v3 §5) in front of the OpenID Connect provider: the
 * browser goes to the provider and back; the tokens wait in the database, so any instance can hand
 * them over, once, to the page that shows the code verifier matching its challenge.
 */
const authRoutes: FastifyPluginAsyncTypebox<RouteOptions & { provider: OidcProvider }> = async (app, { deps: { store, clock, publicUrl }, provider }) => {
  await app.register(cors, FRONT_END_CORS);
  app.setErrorHandler(v2ErrorHandler);
  const callbackOf = (request: { protocol: string; host: string }) => `${baseUrl(publicUrl, request)}/auth/callback`;

  app.get('/login', { schema: { summary: 'Start a login at the OpenID Connect provider', tags: ['auth'], querystring: Type.Object({ state: Type.Optional(Type.String()) }) } }, async (request, reply) => {
    const { state } = request.query;
    if (!state) throw new V2Error(400, 'state is not present in the query parameters');
    readState(state);
    return reply.redirect((await provider.authorizationUrl(callbackOf(request), state)).href, 303);
  });

  app.get(
    '/callback',
    {
      schema: { summary: 'Where the provider sends the browser back', tags: ['auth'], querystring: Type.Object({ state: Type.String(), code: Type.Optional(Type.String()) }, { additionalProperties: true }) },
      logSerializers: pathOnlyRequestLog,
    },
    async (request, reply) => {
      const { callbackUrl, codeChallenge } = readState(request.query.state);
      const back = new URL(callbackUrl);
      try {
        const tokens = await provider.exchangeCode(new URL(request.url, `${callbackOf(request)}`), request.query.state);
        await keepLoginTokens(store, codeChallenge, tokens, clock() + HANDOFF_LIFETIME, clock());
      } catch (error) {
        request.log.warn({ reason: oidcFailureReason(error) }, 'login failed');
        back.searchParams.set('error', 'login failed');
      }
      return reply.redirect(back.href, 303);
    },
  );

  app.post('/token', { schema: { summary: 'Hand over the tokens of a login, once', tags: ['auth'], response: { 200: TokensSchema } } }, async (request) => {
    const verifier = (request.body as { code_verifier?: unknown } | undefined)?.code_verifier;
    if (typeof verifier !== 'string' || verifier === '') throw new V2Error(400, 'failed to extract code verifier');
    const tokens = await claimLoginTokens(store, createHash('sha256').update(verifier).digest('hex'), clock());
    if (!tokens) throw new V2Error(400, 'missing data for code verifier');
    return tokens;
  });

  const refreshToken = (body: unknown) => {
    const token = (body as { refresh_token?: unknown } | undefined)?.refresh_token;
    if (typeof token !== 'string' || token === '') throw new V2Error(400, 'refresh token is missing');
    return token;
  };

  app.post('/refresh', { schema: { summary: 'New tokens for a refresh token', tags: ['auth'], response: { 200: TokensSchema } } }, async (request) => {
    const token = refreshToken(request.body);
    try {
      return await provider.refresh(token);
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'refresh refused');
      throw new V2Error(400, 'the provider refused the refresh token');
    }
  });

  app.put('/logout', { schema: { summary: 'End the session at the provider', tags: ['auth'] } }, async (request, reply) => {
    const token = refreshToken(request.body);
    try {
      await provider.logout(token);
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'logout refused');
      throw new V2Error(400, 'the provider refused the logout');
    }
    return reply.code(204).send();
  });
};

export default authRoutes;
