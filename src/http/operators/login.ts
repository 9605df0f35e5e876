import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginLimiter } from '../../auth/login-limiter.js';
import type { OidcProvider } from '../../auth/oidc-login.js';
import { spendVerificationTime, verifyPassword, MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { checkLoginCsrf, LOGIN_CSRF_COOKIE, sameToken, SESSION_COOKIE, type SessionKeys } from '../../auth/sessions.js';
import { endOperatorSession } from '../../storage/operator-sessions.js';
import { findOperator, localSubject } from '../../storage/operators.js';
import type { PageContext } from '../../web/layout.js';
import { baseUrl } from '../base-url.js';
import type { RouteOptions } from '../deps.js';
import { oidcFailureReason } from '../oidc-log.js';
import { clearCookie, sessionOpener } from '../plugins/operator-session.js';
import { loginFormSender } from './login-form.js';
import { routePlugin } from '../route-plugin.js';

export interface OperatorRouteOptions extends RouteOptions {
  context: PageContext;
  keys: SessionKeys;
  /** single sign-on: the login page offers it (oidc-login.ts serves it), and logout ends the provider's session too */
  provider?: OidcProvider | undefined;
  /** how the login slowdown waits (the tests' does not) */
  sleep?: ((ms: number) => Promise<unknown>) | undefined;
}

interface LoginForm {
  csrf?: unknown;
  username?: unknown;
  password?: unknown;
}

/** Local login and logout (spec §5), with the limits that let no one else lock an operator out. */
const loginRoutes: FastifyPluginAsyncTypebox<OperatorRouteOptions> = async (app, { deps: { store, clock, publicUrl }, context, keys, provider, sleep }) => {
  const sendForm = loginFormSender({ context, keys, publicUrl, singleSignOn: provider !== undefined });
  const limiter = new LoginLimiter(store, sleep);
  const openSession = sessionOpener({ store, keys, publicUrl });

  app.get('/login', { schema: { hide: true } }, async (request, reply) => {
    if (request.operator) return reply.header('cache-control', 'private, no-store').redirect('/', 303);
    return sendForm(request, reply, 200);
  });

  app.post('/login', { schema: { hide: true } }, async (request, reply) => {
    const form = (request.body ?? {}) as LoginForm;
    if (!checkLoginCsrf(keys, request.cookies[LOGIN_CSRF_COOKIE], form.csrf)) {
      return sendForm(request, reply, 403, { problem: 'The form had expired or did not come from this site. Please try again.' });
    }
    const username = typeof form.username === 'string' ? form.username.trim().slice(0, 64) : '';
    const password = typeof form.password === 'string' ? form.password : '';
    if (username === '' || password === '' || password.length > MAX_PASSWORD_LENGTH) {
      return sendForm(request, reply, 400, { username, problem: 'Enter your username and password.' });
    }
    const attempt = await limiter.begin({ username, address: request.ip }, clock());
    if (!attempt) {
      request.log.warn({ username, ip: request.ip }, 'login refused: too many failed attempts');
      const minutes = Math.round(limiter.limits.windowMs / 60_000);
      return sendForm(request, reply, 429, { username, problem: `Too many failed attempts. Please wait ${minutes} minutes before trying again.` });
    }
    if (attempt.delayMs > 0) request.log.warn({ username, ip: request.ip, delayMs: attempt.delayMs }, 'login slowed down: many failed attempts for this username');
    const account = await findOperator(store, username);
    const valid = account && !account.disabled ? await verifyPassword(password, account.passwordHash) : await spendVerificationTime(password);
    if (!valid || !account) {
      request.log.info({ username, ip: request.ip }, 'login failed');
      return sendForm(request, reply, 401, { username, problem: 'Wrong username or password.' });
    }
    const checked = { username: account.username, updatedAt: account.updatedAt };
    if (!(await openSession(request, reply, { subject: localSubject(account.username), name: account.username, role: account.role, roleBasis: null }, clock(), checked))) {
      request.log.info({ username, ip: request.ip }, 'login failed: the account changed during the login');
      return sendForm(request, reply, 401, { username, problem: 'Wrong username or password.' });
    }
    await attempt.succeeded();
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    return reply.header('cache-control', 'private, no-store').redirect('/', 303);
  });

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    const form = (request.body ?? {}) as { csrf?: unknown };
    if (!request.operator) {
      // Nothing to end: a stale or broken cookie goes away all the same.
      clearCookie(reply, request, publicUrl, SESSION_COOKIE);
      return reply.header('cache-control', 'private, no-store').redirect('/', 303);
    }
    if (!sameToken(request.operator.csrf, form.csrf)) return reply.code(403).send({ message: 'The logout form did not come from this site.' });
    await endOperatorSession(store, request.operator.id);
    request.log.info({ subject: request.operator.subject }, 'operator logged out');
    clearCookie(reply, request, publicUrl, SESSION_COOKIE);
    let next = '/';
    if (provider && request.operator.subject.startsWith('oidc:')) {
      try {
        next = (await provider.endSessionUrl(`${baseUrl(publicUrl, request)}/`))?.href ?? next;
      } catch (error) {
        // Our session has ended all the same; the provider's stays until it expires.
        request.log.warn({ reason: oidcFailureReason(error) }, 'single sign-on logout: the provider cannot be reached');
      }
    }
    return reply.header('cache-control', 'private, no-store').redirect(next, 303);
  });
};

export default routePlugin('operator-login', loginRoutes);
