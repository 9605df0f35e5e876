import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteOptions } from '../deps.js';
import { sendJson } from '../send-json.js';
import { incidentJson } from './present.js';
import { IncidentSchema } from './schemas.js';
import { routePlugin } from '../route-plugin.js';

const incidents: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel } }) => {
  app.get(
    '/incidents',
    {
      schema: {
        summary: 'Every event: incidents, maintenances and notices, open or closed, by id',
        tags: ['v1'],
        response: { 200: Type.Array(IncidentSchema) },
      },
    },
    async (request, reply) => {
      const model = await readModel.fresh(request);
      const json = model.memoize('v1:incidents', () => {
        const events = [...model.events.values()].sort((a, b) => a.id - b.id);
        return Buffer.from(`[${events.map(incidentJson).join(',')}]`);
      });
      return sendJson(request, reply, 200, json);
    },
  );
};

export default routePlugin('v1-incidents', incidents);
