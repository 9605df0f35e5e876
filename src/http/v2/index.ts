import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../deps.js';
import availability from './availability.js';
import { FRONT_END_CORS } from './cors.js';
import components from './components.js';
import createEvent from './create-event.js';
import editEvent from './edit-event.js';
import { errMsg, v2ErrorHandler } from './errors.js';
import events from './events.js';
import webhooks from './webhooks.js';
import { routePlugin } from '../route-plugin.js';

/**
 * API v2 (reference v3 §3), served at `/api/v2` and, for clients of the Go back end, at `/v2`.
 * Its React front end runs on another origin: CORS for any origin, preflight included.
 */
const apiV2: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  await app.register(cors, FRONT_END_CORS);
  app.setErrorHandler(v2ErrorHandler);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errMsg('page not found')));
  await app.register(availability, { deps });
  await app.register(components, { deps });
  await app.register(events, { deps });
  await app.register(createEvent, { deps });
  await app.register(editEvent, { deps });
  await app.register(webhooks, { deps });
};

export default routePlugin('api-v2', apiV2);
