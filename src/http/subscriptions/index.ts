import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { routePlugin } from '../route-plugin.js';
import linkRoutes from './links.js';
import type { SubscriptionRouteOptions } from './options.js';
import subscribeRoutes from './subscribe.js';

/**
 * Email subscriptions on the public side (issue 18): the subscribe form and the pages behind the
 * links of subscribers' mails. Registered only when an SMTP relay is configured: without one,
 * these addresses do not exist.
 */
const subscriptionRoutes: FastifyPluginAsync<SubscriptionRouteOptions> = async (app, options) => {
  // The forms post application/x-www-form-urlencoded; only these routes (and the operators') accept it.
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(subscribeRoutes, options);
  await app.register(linkRoutes, options);
};

export default routePlugin('subscriptions', subscriptionRoutes);
