import type { TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Role, RoleGroups } from '../../src/domain/roles.js';
import { buildTestApp, type TestApp } from './app.js';
import { createComponents } from './factories.js';
import { startOidcProvider } from './oidc-provider.js';

/** The groups as Keycloak sends them (paths), as the React front end expects them (issue 17). */
export const ROLE_GROUPS: RoleGroups = { admins: '/sd_admins', operators: '/sd_operators', creators: '/sd_creators' };
const GROUP_OF: Record<Role | 'reader', string> = { admin: '/sd_admins', operator: '/sd_operators', creator: '/sd_creators', reader: '/sd_readers' };

export interface RoleApp {
  api: TestApp;
  /** an access token of the provider for `username` in the group of `role` (`sub` is `<username>-sub`) */
  tokenOf(role: Role | 'reader', username: string, options?: { expiresIn?: number; claims?: Record<string, unknown> }): Promise<string>;
  /** an API v2 request with that person's token */
  as(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** The dashboard with a real OpenID Connect provider (oauth2-mock-server) and the role groups configured. */
export async function buildRoleApp(t: TestContext, options: Parameters<typeof buildTestApp>[1] = {}): Promise<RoleApp> {
  const { server, issuer } = await startOidcProvider(t);
  const api = await buildTestApp(t, { ...options, oidc: { issuer, clientId: 'status-dashboard', roles: ROLE_GROUPS }, roleGroups: ROLE_GROUPS });
  return {
    api,
    tokenOf: (role, username, { expiresIn = 3_600, claims = {} } = {}) =>
      server.issuer.buildToken({
        expiresIn,
        scopesOrTransform: (_header, payload) =>
          Object.assign(payload, { azp: 'status-dashboard', sub: `${username}-sub`, preferred_username: username, name: username, groups: [GROUP_OF[role]], ...claims }),
      }),
    as: (token, method, url, payload) => api.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}

/**
 * A role app with two components (compute, storage in EU-DE) and a token per person: creators
 * carol and dave, operators olivia and oscar, admin ada, reader rita.
 */
export async function roleFixture(t: TestContext) {
  const roles = await buildRoleApp(t);
  const [compute, storage] = await createComponents(roles.api.store, [
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }],
    ['Object Storage Service', { category: 'Storage', region: 'EU-DE', type: 'obs' }],
  ]);
  const tokens = {
    carol: await roles.tokenOf('creator', 'carol'),
    dave: await roles.tokenOf('creator', 'dave'),
    olivia: await roles.tokenOf('operator', 'olivia'),
    oscar: await roles.tokenOf('operator', 'oscar'),
    ada: await roles.tokenOf('admin', 'ada'),
    rita: await roles.tokenOf('reader', 'rita'),
  };
  return { ...roles, compute: compute?.id ?? 0, storage: storage?.id ?? 0, tokens };
}
