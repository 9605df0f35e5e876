import * as client from 'openid-client';
import type { LoginTokens } from '../storage/auth-handoffs.js';
import type { PendingOidcLogin } from './oidc-login-state.js';

export interface OidcLoginSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** only for a provider on plain http (development, tests); off unless SD_OIDC_ALLOW_HTTP is set */
  allowHttp?: boolean | undefined;
}

/** An operator as the provider names them after a login. */
export interface OidcIdentity {
  /** the provider's `sub` */
  subject: string;
  /** preferred_username, else name, else email, else sub */
  name: string;
  /** the `groups` claim, as sent (absent: undefined) */
  groups: unknown;
}

const SCOPE = 'openid profile email';

function identityOf(claims: Record<string, unknown> & { sub: string }): OidcIdentity {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { subject: claims.sub, name: text(claims.preferred_username) ?? text(claims.name) ?? text(claims.email) ?? claims.sub, groups: claims.groups };
}

/** The provider, found through discovery on first use (and again after a failed attempt). */
export function oidcProvider(settings: OidcLoginSettings) {
  let configuration: Promise<client.Configuration> | undefined;
  const config = () => {
    configuration ??= client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, settings.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };
  const grant = (configuration: client.Configuration, callbackUrl: URL, pending: PendingOidcLogin) =>
    client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  const tokensOf = (response: client.TokenEndpointResponse): LoginTokens => ({ access_token: response.access_token, refresh_token: response.refresh_token });
  const origin = new URL(settings.issuer).origin;
  return {
    /** the issuer's origin: the pages' forms may lead there (logout) */
    origin,
    /**
     * A login (authorization code + PKCE S256 + state + nonce), an operator's or the front end's:
     * where to send the browser, and what to keep until it is back.
     */
    async startLogin(redirectUri: string): Promise<{ url: URL; pending: PendingOidcLogin }> {
      const pending = { codeVerifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
      const url = client.buildAuthorizationUrl(await config(), {
        redirect_uri: redirectUri,
        scope: SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },
    /** The front end's login: the code exchanged for the tokens, checked against what the login kept. */
    async exchangeCode(callbackUrl: URL, pending: PendingOidcLogin): Promise<LoginTokens> {
      return tokensOf(await grant(await config(), callbackUrl, pending));
    },
    /**
     * The code exchanged and the ID token checked against what the login kept. When groups matter
     * and the ID token has none, the userinfo endpoint is asked (Keycloak's group mapper may add
     * them there only, reference v1 §3.2).
     */
    async finishOperatorLogin(callbackUrl: URL, pending: PendingOidcLogin, { needsGroups }: { needsGroups: boolean }): Promise<OidcIdentity> {
      const configuration = await config();
      const tokens = await grant(configuration, callbackUrl, pending);
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      if (!needsGroups || claims.groups !== undefined || !configuration.serverMetadata().userinfo_endpoint) return identityOf(claims);
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return identityOf({ ...userinfo, ...claims, groups: userinfo.groups });
    },
    async refresh(refreshToken: string): Promise<LoginTokens> {
      return tokensOf(await client.refreshTokenGrant(await config(), refreshToken));
    },
    /**
     * Where to send an operator's browser after our logout so that the provider ends its session
     * too (RP-initiated logout, with our client_id); undefined if the provider offers no such
     * endpoint, or one outside the issuer's origin, where the pages' form-action would not let
     * the browser go. Without it, "Sign in with single sign-on" would log the next person at that
     * browser straight back in.
     */
    async endSessionUrl(postLogoutRedirectUri: string): Promise<URL | undefined> {
      const configuration = await config();
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      const url = client.buildEndSessionUrl(configuration, { post_logout_redirect_uri: postLogoutRedirectUri });
      return url.origin === origin ? url : undefined;
    },
    async logout(refreshToken: string): Promise<void> {
      await client.tokenRevocation(await config(), refreshToken, { token_type_hint: 'refresh_token' });
    },
  };
}

export type OidcProvider = ReturnType<typeof oidcProvider>;
