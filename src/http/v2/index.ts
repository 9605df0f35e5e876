import cors from '@fastify/cors';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../deps.js';
import availability from './availability.js';
import components from './components.js';
import createEvent from './create-event.js';
import editEvent from './edit-event.js';
import { errMsg, V2Error } from './errors.js';
import events from './events.js';

/**
 * API v2 (reference v3 §3), served at `/api/v2` and, for clients of the Go back end, at `/v2`.
 * Its React front end runs on another origin: CORS for any origin, preflight included.
 */
const apiV2: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof V2Error) return reply.code(error.statusCode).send(errMsg(error.message));
    if (error.statusCode === 401) return reply.code(401).send(errMsg('not authenticated'));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send(errMsg(error.message));
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errMsg('internal server error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errMsg('page not found')));
  await app.register(availability, { deps });
  await app.register(components, { deps });
  await app.register(events, { deps });
  await app.register(createEvent, { deps });
  await app.register(editEvent, { deps });
};

export default apiV2;
