import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import operatorEventRoutes from './events.js';
import loginRoutes, { type OperatorRouteOptions } from './login.js';
import reviewRoutes from './reviews.js';
import subscriberRoutes from './subscribers.js';
import webhookRoutes from './webhooks.js';
import { routePlugin } from '../route-plugin.js';

/**
 * The operator pages: local login and logout (spec §5), what operators do to events, the
 * email subscribers and the webhooks (issue 18), and the maintenances pending review (reference v1 §3.2: without a session, 401 `{"message": "Invalid token!"}`).
 */
const operatorRoutes: FastifyPluginAsync<OperatorRouteOptions> = async (app, options) => {
  // Forms post application/x-www-form-urlencoded; only these routes accept it.
  await app.register(formbody, { bodyLimit: 8 * 1024 });
  await app.register(loginRoutes, options);
  await app.register(operatorEventRoutes, { deps: options.deps, context: options.context });
  await app.register(reviewRoutes, { deps: options.deps, context: options.context });
  await app.register(subscriberRoutes, { deps: options.deps, context: options.context, emailEnabled: options.context.subscribe === true });
  await app.register(webhookRoutes, { deps: options.deps, context: options.context });
};

export default routePlugin('operator-forms', operatorRoutes);
