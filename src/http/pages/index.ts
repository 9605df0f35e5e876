import type { FastifyPluginAsync } from 'fastify';
import type { PageOptions } from '../deps.js';
import assets from './assets.js';
import availabilityPages from './availability.js';
import badges from './badges.js';
import eventPage from './event.js';
import historyPages from './history.js';
import servicePages from './service.js';
import statusPage from './status.js';
import { routePlugin } from '../route-plugin.js';

/** The public pages (spec §4): rendered from the read model, each rendering kept until the state changes. */
const pages: FastifyPluginAsync<PageOptions> = async (app, options) => {
  for (const plugin of [assets, statusPage, eventPage, servicePages, historyPages, availabilityPages, badges]) await app.register(plugin, options);
};

export default routePlugin('pages', pages);
