import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { roleFromGroups, type RoleGroups } from '../domain/roles.js';
import type { ApiCaller } from './api-tokens.js';

export interface OidcTokenSettings {
  issuer: string;
  clientId: string;
  /** the groups of the roles (e.g. `/sd_admins`; a leading `/` is ignored on both sides, as Keycloak paths vary) */
  roles?: RoleGroups | undefined;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies RS256/384/512 access tokens of the OpenID Connect provider (reference v3 §5): signed
 * with one of its published keys, from its issuer, issued to our client (aud or azp). Its `groups`
 * give the caller's role (none: a reader). The key set is found through discovery once.
 */
export function oidcTokenVerifier(settings: OidcTokenSettings) {
  let keys: Promise<KeySet> | undefined;
  const keySet = () => {
    keys ??= discoverKeys(settings.issuer).catch((error: unknown) => {
      keys = undefined; // try again with the next token
      throw error;
    });
    return keys;
  };
  return async (token: string): Promise<ApiCaller | undefined> => {
    try {
      const { payload } = await jwtVerify(token, await keySet(), { issuer: settings.issuer, algorithms: ['RS256', 'RS384', 'RS512'] });
      if (!issuedTo(payload, settings.clientId)) return undefined;
      const name = (typeof payload.preferred_username === 'string' && payload.preferred_username !== '' ? payload.preferred_username : payload.sub) ?? 'oidc';
      // The same id as the person's single sign-on session (`oidc:<sub>`): their proposals are theirs on either surface.
      return { name, id: `oidc:${payload.sub ?? name}`, role: roleFromGroups(payload.groups, settings.roles ?? {}) };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  };
}

async function discoverKeys(issuer: string): Promise<KeySet> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OpenID Connect discovery failed: ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
  if (!jwksUri) throw new Error('OpenID Connect discovery has no jwks_uri');
  return createRemoteJWKSet(new URL(jwksUri));
}

function issuedTo(payload: JWTPayload, clientId: string): boolean {
  const audiences = [payload.aud ?? []].flat();
  return audiences.includes(clientId) || payload.azp === clientId;
}
