import fp from 'fastify-plugin';
import { markStale } from './freshness.js';
import { securityHeaders } from './security-headers.js';

/**
 * The headers every answer gets, from one onSend hook: the stale marking, then the security
 * headers. A hook per concern cost every answer a dispatch more, which the cached reads felt
 * (bench, issue 15). A callback hook: an async one costs every answer a promise more.
 */
export default fp<{ publicUrl: string | undefined; formOrigins?: readonly string[] }>(
  async (app, { publicUrl, formOrigins = [] }) => {
    app.decorateRequest('staleAsOf', undefined);
    const secure = securityHeaders(publicUrl, formOrigins);
    app.addHook('onSend', (request, reply, payload, done) => {
      markStale(request, reply);
      secure(request, reply);
      done(null, payload);
    });
  },
  { name: 'answer-headers' },
);
