import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { LOGIN_CSRF_COOKIE, loginCsrfToken, newLoginNonce, type SessionKeys } from '../../auth/sessions.js';
import type { PageContext } from '../../web/layout.js';
import { LoginPage } from '../../web/pages/login-page.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { cookieOptions } from '../plugins/operator-session.js';

/** Seconds the login form's nonce cookie lives: long enough to type a password. */
const LOGIN_NONCE_LIFETIME = 60 * 60;

export interface LoginFormSettings {
  context: PageContext;
  keys: SessionKeys;
  publicUrl: string | undefined;
  /** an OpenID Connect provider is configured: the page offers single sign-on too */
  singleSignOn: boolean;
}

/**
 * Sends the login page, with the nonce of this browser (a new one when it has none yet); both
 * the local login and the single sign-on callback answer with it.
 */
export function loginFormSender({ context, keys, publicUrl, singleSignOn }: LoginFormSettings) {
  return (request: FastifyRequest, reply: FastifyReply, status: number, values: { username?: string; problem?: string } = {}) => {
    let nonce = request.cookies[LOGIN_CSRF_COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
      nonce = newLoginNonce();
      reply.setCookie(LOGIN_CSRF_COOKIE, nonce, cookieOptions(request, publicUrl, LOGIN_NONCE_LIFETIME, '/login'));
    }
    const page = renderPage(h(LoginPage, { context, csrf: loginCsrfToken(keys, nonce), singleSignOn, ...values }));
    return sendPrivatePage(request, reply, page, status);
  };
}
