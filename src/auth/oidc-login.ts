import * as client from 'openid-client';
import type { LoginTokens } from '../storage/auth-handoffs.js';

export interface OidcLoginSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** only for a provider on plain http (development, tests); off unless SD_OIDC_ALLOW_HTTP is set */
  allowHttp?: boolean | undefined;
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
  const tokensOf = (response: client.TokenEndpointResponse): LoginTokens => ({ access_token: response.access_token, refresh_token: response.refresh_token });
  return {
    async authorizationUrl(redirectUri: string, state: string): Promise<URL> {
      return client.buildAuthorizationUrl(await config(), { redirect_uri: redirectUri, scope: 'openid profile email', state });
    },
    async exchangeCode(callbackUrl: URL, expectedState: string): Promise<LoginTokens> {
      return tokensOf(await client.authorizationCodeGrant(await config(), callbackUrl, { expectedState }));
    },
    async refresh(refreshToken: string): Promise<LoginTokens> {
      return tokensOf(await client.refreshTokenGrant(await config(), refreshToken));
    },
    async logout(refreshToken: string): Promise<void> {
      await client.tokenRevocation(await config(), refreshToken, { token_type_hint: 'refresh_token' });
    },
  };
}

export type OidcProvider = ReturnType<typeof oidcProvider>;
