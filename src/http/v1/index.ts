import type { FastifyPluginAsync } from 'fastify';
import type { RouteOptions } from '../deps.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import componentStatus from './component-status.js';
import incidents from './incidents.js';
import { routePlugin } from '../route-plugin.js';

/** API v1 (reference v1 §2): the published contract monitoring clients are built against. */
const apiV1: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  await app.register(componentStatus, { deps });
  await app.register(incidents, { deps });
  methodNotAllowed(app, '/component_status', ['GET', 'HEAD', 'POST']);
  methodNotAllowed(app, '/incidents', ['GET', 'HEAD']);
};

export default routePlugin('api-v1', apiV1);
