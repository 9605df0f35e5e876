import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { withDeadline } from '../storage/deadline.js';
import { describeFailure } from '../storage/failures.js';
import { pendingMigrations } from '../storage/store.js';
import type { RouteOptions } from './deps.js';
import { routePlugin } from './route-plugin.js';

const NO_STORE = 'no-store';
const READINESS_WAIT_MS = 1_000;

const Liveness = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  schema: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('behind')])),
  pending_migrations: Type.Optional(Type.Array(Type.String())),
  since: Type.Optional(Type.String({ description: 'RFC 3339: when this instance lost the database' })),
  reason: Type.Optional(Type.String()),
});

/**
 * For load balancers and orchestrators (spec §8): `/healthz` says the process lives and serves
 * (reads keep answering while the database is away, so this is the check that keeps an instance
 * in rotation); `/readyz` says it can also write: the database answers and has every migration
 * this code knows.
 */
const healthRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store } }) => {
  app.get('/healthz', { schema: { summary: 'The process lives and answers', tags: ['health'], response: { 200: Liveness } } }, async (_request, reply) => {
    reply.header('cache-control', NO_STORE);
    return { status: 'ok' as const };
  });

  app.get(
    '/readyz',
    { schema: { summary: 'The database answers and its schema is current', tags: ['health'], response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      reply.header('cache-control', NO_STORE);
      try {
        const pending = await withDeadline(
          store.committedVersion().then(() => pendingMigrations(store)),
          READINESS_WAIT_MS,
        );
        if (pending.length === 0) return { status: 'ready' as const, database: 'up' as const, schema: 'current' as const };
        return reply.code(503).send({ status: 'unavailable' as const, database: 'up' as const, schema: 'behind' as const, pending_migrations: pending });
      } catch (error) {
        const health = store.health.current;
        return reply.code(503).send({
          status: 'unavailable' as const,
          database: 'down' as const,
          ...(health.up ? {} : { since: new Date(health.since).toISOString() }),
          reason: health.up ? describeFailure(error) : health.reason,
        });
      }
    },
  );
};

export default routePlugin('health', healthRoutes);
