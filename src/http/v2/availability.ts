import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { attributeValue } from '../../domain/component.js';
import { monthlyAvailability } from '../../domain/availability.js';
import type { RouteOptions } from '../deps.js';
import { sendJson } from '../send-json.js';
import { routePlugin } from '../route-plugin.js';

const MonthSchema = Type.Object({ year: Type.Integer(), month: Type.Integer({ minimum: 1, maximum: 12 }), percentage: Type.Number() });
const AvailabilitySchema = Type.Object({
  data: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      availability: Type.Array(MonthSchema, { description: 'the last 12 months, newest first' }),
      region: Type.String(),
    }),
  ),
});

const MINUTE = 60_000;

const availability: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel, clock } }) => {
  app.get(
    '/availability',
    {
      schema: {
        summary: 'Monthly availability of every component over the last 12 months (outage incidents only; maintenance never counts)',
        tags: ['v2'],
        response: { 200: AvailabilitySchema },
      },
    },
    async (request, reply) => {
      const model = await readModel.fresh(request);
      const now = clock();
      // Open outages and the current month move with the clock: one answer per minute and version.
      const json = model.memoizeStamped('v2:availability', Math.floor(now / MINUTE), () =>
        Buffer.from(
          JSON.stringify({
          data: [...model.components.values()].map((component) => ({
            id: component.id,
            name: component.name,
            availability: monthlyAvailability(model.eventsOf(component.id), now),
            region: attributeValue(component, 'region') ?? '',
          })),
        }),
        ),
      );
      return sendJson(request, reply, 200, json);
    },
  );
};

export default routePlugin('v2-availability', availability);
