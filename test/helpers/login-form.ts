// The login form as a browser uses it: only what every version of the form has, so that the
// regression tests built on it also run against older code.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/auth/passwords.js';
import { addOperator } from '../../src/storage/operators.js';
import type { TestApp } from './app.js';

/** A cheap scrypt cost: the tests hash many passwords. */
export const CHEAP_COST = { N: 1024, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery staple';

/** A local account that logs in through the form, with PASSWORD. */
export async function addTestOperator(test: TestApp, username = 'alice'): Promise<void> {
  await addOperator(test.store, username, await hashPassword(PASSWORD, CHEAP_COST), test.clock.read(), 'cli:test');
}

export interface ResponseCookie {
  name: string;
  value: string;
  maxAge?: number;
  expires?: Date;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  path?: string;
}

export function cookieOf(response: LightMyRequestResponse, name: string): ResponseCookie | undefined {
  return (response.cookies as ResponseCookie[]).find((cookie) => cookie.name === name);
}

/** A browser's login form: the nonce cookie and the token the page carries. */
export interface LoginFormState {
  nonce: string;
  csrf: string;
}

export async function openLoginForm(app: FastifyInstance): Promise<LoginFormState> {
  const response = await app.inject({ method: 'GET', url: '/login' });
  assert.equal(response.statusCode, 200);
  const nonce = cookieOf(response, 'sd_login_csrf')?.value ?? '';
  const csrf = /name="csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '';
  assert.ok(nonce && csrf);
  return { nonce, csrf };
}

/** Posts the login form (a fresh one unless given) from a client address. */
export async function postLogin(app: FastifyInstance, fields: Record<string, string>, form?: LoginFormState, remoteAddress = '127.0.0.1'): Promise<LightMyRequestResponse> {
  const state = form ?? (await openLoginForm(app));
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sd_login_csrf=${state.nonce}` },
    payload: new URLSearchParams({ csrf: state.csrf, ...fields }).toString(),
  });
}

/** Logs an operator in through the form; returns the session cookie's value. */
export async function logInWithForm(app: FastifyInstance, username = 'alice', remoteAddress?: string): Promise<string> {
  const response = await postLogin(app, { username, password: PASSWORD }, undefined, remoteAddress);
  assert.equal(response.statusCode, 303, response.body);
  assert.equal(response.headers.location, '/');
  const session = cookieOf(response, 'sd_session');
  assert.ok(session);
  return session.value;
}

export const asOperator = (session: string) => ({ cookie: `sd_session=${session}` });

/** POST /logout with the session's own form token, read from a page as a browser would. */
export async function logOutWithForm(app: FastifyInstance, session: string): Promise<LightMyRequestResponse> {
  const page = await app.inject({ method: 'GET', url: '/', headers: asOperator(session) });
  const csrf = /action="\/logout"><input type="hidden" name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  assert.ok(csrf, 'the page offers the logout form');
  return app.inject({
    method: 'POST',
    url: '/logout',
    headers: { ...asOperator(session), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ csrf }).toString(),
  });
}
