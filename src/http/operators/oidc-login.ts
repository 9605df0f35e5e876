import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { OidcProvider } from '../../auth/oidc-login.js';
import { anyRoleGroup, roleFromGroups, roleSettingsFingerprint, type RoleGroups } from '../../domain/roles.js';
import { OIDC_LOGIN_COOKIE, OIDC_LOGIN_LIFETIME, openPendingLogin, sealPendingLogin } from '../../auth/oidc-login-state.js';
import type { SessionKeys } from '../../auth/sessions.js';
import type { PageContext } from '../../web/layout.js';
import { baseUrl } from '../base-url.js';
import type { RouteOptions } from '../deps.js';
import { oidcFailureReason, pathOnlyRequestLog } from '../oidc-log.js';
import { clearCookie, cookieOptions, sessionOpener } from '../plugins/operator-session.js';
import { loginFormSender } from './login-form.js';
import { routePlugin } from '../route-plugin.js';

export interface OidcLoginRouteOptions extends RouteOptions {
  context: PageContext;
  keys: SessionKeys;
  provider: OidcProvider;
  /** the groups of the roles (SD_ADMINS_GROUP, SD_OPERATORS_GROUP, SD_CREATORS_GROUP) */
  roles: RoleGroups;
}

/** Register `<public url>/login/oidc/callback` as the redirect URI at the provider. */
const CALLBACK_PATH = '/login/oidc/callback';
const FAILED = 'The single sign-on login failed. Please try again.';
/** Operator names show in the header and ride in the cookie: a provider's long name is cut. */
const MAX_NAME_LENGTH = 100;

/**
 * Operators log in at the OpenID Connect provider (spec §5, reference v1 §3.2): authorization
 * code with PKCE, state and nonce, kept meanwhile in an encrypted cookie only the callback gets.
 * The session is the same cookie as a local login's, marked with the group that was checked.
 */
const oidcLoginRoutes: FastifyPluginAsyncTypebox<OidcLoginRouteOptions> = async (app, { deps: { store, clock, publicUrl }, context, keys, provider, roles }) => {
  const openSession = sessionOpener({ store, keys, publicUrl });
  const sendForm = loginFormSender({ context, keys, publicUrl, singleSignOn: true });
  const callbackUrl = (request: FastifyRequest) => `${baseUrl(publicUrl, request)}${CALLBACK_PATH}`;

  app.get('/login/oidc', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    if (request.operator) return reply.redirect('/', 303);
    let login;
    try {
      login = await provider.startLogin(callbackUrl(request));
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'single sign-on login failed: the provider cannot be reached');
      return sendForm(request, reply, 502, { problem: FAILED });
    }
    reply.setCookie(OIDC_LOGIN_COOKIE, await sealPendingLogin(keys, login.pending, clock()), cookieOptions(request, publicUrl, OIDC_LOGIN_LIFETIME, CALLBACK_PATH));
    return reply.redirect(login.url.href, 303);
  });

  app.get(CALLBACK_PATH, { schema: { hide: true }, logSerializers: pathOnlyRequestLog }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    // One answer per login cookie, whatever the outcome.
    clearCookie(reply, request, publicUrl, OIDC_LOGIN_COOKIE, CALLBACK_PATH);
    const pending = await openPendingLogin(keys, request.cookies[OIDC_LOGIN_COOKIE], clock());
    if (!pending) {
      request.log.warn('single sign-on login failed: no login in progress (cookie missing, expired or broken)');
      return sendForm(request, reply, 400, { problem: FAILED });
    }
    const answer = new URL(callbackUrl(request));
    answer.search = new URL(request.url, 'http://callback').search;
    let identity;
    try {
      identity = await provider.finishOperatorLogin(answer, pending, { needsGroups: anyRoleGroup(roles) });
    } catch (error) {
      request.log.warn({ reason: oidcFailureReason(error) }, 'single sign-on login failed');
      return sendForm(request, reply, 400, { problem: FAILED });
    }
    const subject = `oidc:${identity.subject}`;
    const name = identity.name.slice(0, MAX_NAME_LENGTH);
    const role = roleFromGroups(identity.groups, roles);
    if (role === undefined) {
      request.log.warn({ subject, roles }, 'single sign-on login refused: in none of the groups of a role');
      return sendForm(request, reply, 403, { problem: `Not logging in user ${name} due to lack of required groups` });
    }
    await openSession(request, reply, { subject, name, role, roleBasis: roleSettingsFingerprint(roles) }, clock());
    return reply.redirect('/', 303);
  });
};

export default routePlugin('operator-single-sign-on', oidcLoginRoutes);
