import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../deps.js';
import availability from './availability.js';

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
  await app.register(availability, { deps });
};

export default apiV2;
