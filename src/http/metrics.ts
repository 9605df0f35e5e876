import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { StatusReportOutcome } from '../domain/rules/status-report.js';
import { reportOutcomeOf, UNMATCHED_ROUTE, type Metrics, type RouteTimer } from '../metrics/metrics.js';
import { isDatabaseUnavailable } from '../storage/failures.js';
import { errorBody } from './errors.js';
import { routePlugin } from './route-plugin.js';

type OnResponse = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/**
 * Times every request by the pattern of its route (`/incidents/:id`, never the URL: ids and
 * queries would make a series each). Each route gets a hook of its own, which knows its pattern,
 * as it is added; requests no route matched share one label. Call before any route is added.
 */
export function timeRequests(app: FastifyInstance, metrics: Metrics): void {
  const hookOf = (timer: RouteTimer): OnResponse =>
    function timed(request, reply, done) {
      timer.observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
  app.addHook('onRoute', (route) => {
    route.onResponse = [...[route.onResponse ?? []].flat(), hookOf(metrics.routeTimer(route.url))];
  });
  // Runs for every request, matched or not; only the unmatched are timed here.
  const unmatched = hookOf(metrics.routeTimer(UNMATCHED_ROUTE));
  app.addHook('onResponse', (request, reply, done) => (request.is404 ? unmatched(request, reply, done) : done()));
}

/** Runs one monitoring report and counts what it came to, a 503 (the database away) included. */
export async function countedReport<Result extends StatusReportOutcome<{ id: number }>>(
  metrics: Metrics | undefined,
  api: 'v1' | 'v2',
  report: () => Promise<Result>,
): Promise<Result> {
  try {
    const result = await report();
    metrics?.countReport(api, reportOutcomeOf(result));
    return result;
  } catch (error) {
    if (isDatabaseUnavailable(error)) metrics?.countReport(api, 'unavailable');
    throw error;
  }
}

const Unauthorized = Type.Object({ code: Type.Integer(), message: Type.Optional(Type.String()), status: Type.String() });

/**
 * `GET /metrics`: this instance's metrics in Prometheus' text format. With a token
 * (SD_METRICS_TOKEN) only `Authorization: Bearer <token>` gets them, compared in constant time.
 */
const metricsRoute: FastifyPluginAsyncTypebox<{ metrics: Metrics; token: string | undefined }> = async (app, { metrics, token }) => {
  // Digests of the same length, whatever was sent: the comparison takes as long for any guess.
  const expected = token === undefined ? undefined : digest(token);
  app.get(
    '/metrics',
    {
      schema: {
        summary: "This instance's metrics, in Prometheus' text format",
        tags: ['health'],
        security: token === undefined ? [] : [{ bearerAuth: [] }],
        response: { 200: { description: 'the text exposition format 0.0.4', content: { 'text/plain': { schema: Type.String() } } }, 401: Unauthorized },
      },
    },
    async (request, reply) => {
      if (expected && !timingSafeEqual(digest(bearerToken(request.headers.authorization)), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send(errorBody(401, 'Authorization: Bearer <SD_METRICS_TOKEN> is needed'));
      }
      const { contentType, body } = await metrics.exposition();
      return reply.header('cache-control', 'no-store').type(contentType).send(body);
    },
  );
};

/** The credentials of `Bearer <token>` (the scheme in any case, RFC 7235), or '' for anything else. */
function bearerToken(header: string | undefined): string {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export default routePlugin('metrics', metricsRoute);
