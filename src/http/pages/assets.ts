import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PageOptions } from '../deps.js';
import { precompress, sendEncoded } from '../compression.js';
import { errorBody } from '../errors.js';
import { routePlugin } from '../route-plugin.js';

/** The pages' style, script and logo, under names that hold their content hash: kept by browsers for good. */
const assets: FastifyPluginAsyncTypebox<PageOptions> = async (app, { context }) => {
  // Once, at start-up: the same bytes (and so their compressed forms) serve /assets and /banner.js.
  for (const asset of context.assets.files.values()) precompress(asset.bytes, asset.type);
  app.get('/assets/:name', { schema: { hide: true, params: Type.Object({ name: Type.String() }) } }, async (request, reply) => {
    const asset = context.assets.files.get(`/assets/${request.params.name}`);
    if (!asset) return reply.code(404).send(errorBody(404));
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
    return sendEncoded(request, reply, { body: asset.bytes, type: asset.type });
  });
};

export default routePlugin('assets', assets);
