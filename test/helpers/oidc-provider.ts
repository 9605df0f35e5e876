import type { TestContext } from 'node:test';
import { OAuth2Server } from 'oauth2-mock-server';

/**
 * The provider's signing key, made once per test process: an RSA key takes a few hundred
 * milliseconds of CPU to generate, and dozens of tests start a provider. Each provider still
 * signs with a key only this process knows.
 */
let signingKey: Promise<Record<string, unknown>> | undefined;

async function sharedSigningKey(): Promise<Record<string, unknown>> {
  signingKey ??= (async () => {
    const server = new OAuth2Server();
    await server.issuer.keys.generate('RS256');
    const [key] = server.issuer.keys.toJSON(true);
    if (!key) throw new Error('oauth2-mock-server generated no key');
    return key as unknown as Record<string, unknown>;
  })();
  return signingKey;
}

/** A real OpenID Connect provider on a free local port, stopped when the test ends. */
export async function startOidcProvider(t: TestContext): Promise<{ server: OAuth2Server; issuer: string }> {
  const server = new OAuth2Server();
  await server.issuer.keys.add(await sharedSigningKey());
  await server.start(0, '127.0.0.1');
  t.after(() => server.stop());
  return { server, issuer: server.issuer.url ?? '' };
}
