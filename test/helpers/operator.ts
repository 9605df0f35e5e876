import type { LightMyRequestResponse } from 'fastify';
import { deriveSessionKeys, newCsrfSecret, newSessionId, sealSession } from '../../src/auth/sessions.js';
import { keepOperatorSession } from '../../src/storage/operator-sessions.js';
import { addOperator, localSubject } from '../../src/storage/operators.js';
import type { Role } from '../../src/domain/roles.js';
import { TEST_SECRET, type TestApp } from './app.js';

/** A logged-in local operator, without going through the login form (its own tests do that). */
export interface OperatorClient {
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** posts a form; `csrf` is added unless the fields carry their own */
  post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
}

export function formBody(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return body.toString();
}

/** A logged-in local account of the given role (operator by default). */
export async function logInOperator(test: TestApp, username = 'alice', role: Role = 'operator'): Promise<OperatorClient> {
  const account = await addOperator(test.store, username, 'scrypt$unused', test.clock.read(), 'cli:test', role);
  const session = { id: newSessionId(), subject: localSubject(username), name: username, csrf: newCsrfSecret() };
  const { value, expiresAt } = await sealSession(deriveSessionKeys(TEST_SECRET), session, test.clock.read());
  await keepOperatorSession(test.store, { ...session, role, roleBasis: null, createdAt: test.clock.read(), expiresAt: expiresAt * 1000 }, account);
  const csrf = session.csrf;
  const cookie = `sd_session=${value}`;
  return {
    cookie,
    csrf,
    get: (url) => test.app.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } }),
    post: (url, fields) =>
      test.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: formBody({ csrf, ...fields }) }),
  };
}
