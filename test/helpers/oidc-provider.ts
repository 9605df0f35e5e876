import type { TestContext } from 'node:test';
import { OAuth2Server } from 'oauth2-mock-server';

/** A real OpenID Connect provider on a free local port, stopped when the test ends. */
export async function startOidcProvider(t: TestContext): Promise<{ server: OAuth2Server; issuer: string }> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  t.after(() => server.stop());
  return { server, issuer: server.issuer.url ?? '' };
}
