import type { FastifyRequest } from 'fastify';

/**
 * What may be logged of a failed exchange with the OpenID Connect provider: never the code, the
 * tokens or the error's cause (openid-client's errors hold the callback's parameters and the
 * provider's answer).
 */
export function oidcFailureReason(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, error: oauthError } = error as { code?: unknown; error?: unknown };
  return { name: error.name, code, oauthError, message: error.message };
}

/** Route log serializers for a provider's callback: the request log shows the path only, as the query carries the authorization code. */
export const pathOnlyRequestLog = {
  req: (request: FastifyRequest) => ({ method: request.method, url: request.url.split('?')[0], host: request.host, remoteAddress: request.ip }),
};
