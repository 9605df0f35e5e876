import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The API's contract as OpenAPI 3, generated from the route schemas so it cannot drift:
 * `/api/openapi.json`, and an interactive page at `/api/docs` (assets served locally, no CDN).
 * Registered before the routes, which it collects as they are added.
 */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Status Dashboard API',
          version: '1',
          description:
            'API v1 is the monitoring contract of the Python Status Dashboard: probes report component statuses and the server opens, joins or escalates incidents. Reads are public.',
        },
        tags: [
          { name: 'v1', description: 'Monitoring API v1' },
          { name: 'v2', description: 'API v2 of the Go Status Dashboard, at /api/v2 and /v2' },
          { name: 'webhooks', description: 'Webhooks for operators and admins, at /api/v2/webhooks and /v2/webhooks (docs/notifications.md#webhooks)' },
          { name: 'statuspage', description: 'Atlassian Statuspage\'s public JSON, at /api/v2/*.json (docs/statuspage-json.md)' },
          { name: 'feeds', description: 'RSS, Atom and JSON Feed' },
          { name: 'badges', description: 'SVG status badges to embed in other sites' },
          { name: 'banner', description: 'A banner other sites embed while something is active (docs/banner.md)' },
          { name: 'auth', description: 'Login for the React front end, through the OpenID Connect provider' },
          { name: 'health', description: 'For load balancers: the process lives (/healthz), the database answers (/readyz)' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256, signed with SD_SECRET_KEY; mint one with `npx status-dashboard token`' },
          },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: true });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
