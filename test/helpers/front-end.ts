// The React front end (StatusDashboard-V3) as it logs in through /auth/*: its requests as
// src/Components/Auth/UserMgr.ts makes them, from browsers at client addresses of their own.
import { createHash, randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { OAuth2Server } from 'oauth2-mock-server';
import { oidcProvider } from '../../src/auth/oidc-login.js';
import type { AppOptions } from '../../src/http/app.js';
import { buildTestApp, type TestApp } from './app.js';
import { startOidcProvider } from './oidc-provider.js';

export const PUBLIC_URL = 'https://status.example.org';
export const FRONT_END = 'https://status-front.example.com';
/** `${window.location.origin}/signin-oidc`, the front end's redirect_uri */
export const FRONT_END_CALLBACK = `${FRONT_END}/signin-oidc`;
export const CLIENT_SECRET = 'the-client-secret-of-the-status-dashboard';

/** The dashboard with a provider (oauth2-mock-server logs anyone in) and the front end's callback allowed. */
export async function startFrontEndApp(
  t: TestContext,
  options: { lines?: string[]; trustProxy?: AppOptions['trustProxy']; callbackUrls?: AppOptions['authCallbackUrls'] } = {},
): Promise<{ api: TestApp; server: OAuth2Server }> {
  const { issuer, server } = await startOidcProvider(t);
  const lines = options.lines;
  const api = await buildTestApp(t, {
    publicUrl: PUBLIC_URL,
    login: oidcProvider({ issuer, clientId: 'status-dashboard', clientSecret: CLIENT_SECRET, allowHttp: true }),
    authCallbackUrls: options.callbackUrls ?? [FRONT_END_CALLBACK],
    trustProxy: options.trustProxy,
    ...(lines ? { logStream: { write: (line: string) => lines.push(line) } } : {}),
  });
  return { api, server };
}

/**
 * What UserMgr.signinRedirect sends the browser to: a random UUID as the code verifier, the hex
 * SHA-256 of it as the challenge, the state in unpadded standard base64, not URL-encoded.
 */
export function frontEndLogin(callbackUrl = FRONT_END_CALLBACK): { verifier: string; state: string; loginUrl: string } {
  const verifier = randomUUID();
  const challenge = createHash('sha256').update(verifier).digest('hex');
  const state = btoa(JSON.stringify({ callback_url: callbackUrl, code_challenge: challenge })).replace(/=+$/, '');
  return { verifier, state, loginUrl: `/auth/login?state=${state}` };
}

/** A browser at one client address: it keeps the cookies the dashboard sets and sends them back. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    readonly address: string,
    /** headers a proxy in front would add */
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.app.inject({ method: 'GET', url, remoteAddress: this.address, headers: { ...this.extraHeaders, ...(cookie ? { cookie } : {}) } });
    for (const { name, value } of response.cookies as { name: string; value: string }[]) {
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** UserMgr.signinCallback: a cross-origin fetch from the front end's page (no cookies of ours; the browser adds Origin, null: none). */
  claimTokens(verifier: string, origin: string | null = FRONT_END): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url: '/auth/token',
      remoteAddress: this.address,
      headers: { ...this.extraHeaders, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      payload: JSON.stringify({ code_verifier: verifier }),
    });
  }

  /** Opens the login link, goes through the provider and back; returns the callback's answer. */
  async logIn(loginUrl: string): Promise<LightMyRequestResponse> {
    const login = await this.get(loginUrl);
    if (login.statusCode !== 303) return login;
    return this.get(await atProvider(String(login.headers.location)));
  }
}

/** The provider logs the browser in and sends it back to our callback: its path and query. */
export async function atProvider(authorizeUrl: string): Promise<string> {
  const back = await fetch(new URL(authorizeUrl), { redirect: 'manual' });
  const callback = new URL(String(back.headers.get('location')));
  return `${callback.pathname}${callback.search}`;
}
