import type { FastifyCorsOptions } from '@fastify/cors';

/** What the Go back end's React front end needs from another origin (spec §3): any origin, preflight. */
export const FRONT_END_CORS: FastifyCorsOptions = {
  origin: '*',
  methods: ['GET', 'POST', 'PATCH', 'PUT', 'OPTIONS'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  maxAge: 600,
};
