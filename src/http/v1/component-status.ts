import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attributeMap } from '../../domain/component.js';
import { parseIncidentImpact } from '../../domain/impact.js';
import { reportStatus } from '../../services/report-status.js';
import { errorBody } from '../errors.js';
import { countedReport } from '../metrics.js';
import { keptText } from '../kept-json.js';
import { sendJson } from '../send-json.js';
import type { RouteOptions } from '../deps.js';
import { componentJson, incidentJson } from './present.js';
import { ComponentQuerySchema, ComponentSchema, ConflictSchema, ErrorSchema, IncidentSchema, StatusReportSchema } from './schemas.js';
import { apiActor, requireRole } from '../plugins/api-auth.js';
import { routePlugin } from '../route-plugin.js';

const componentStatus: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock, metrics } }) => {
  app.get(
    '/component_status',
    {
      schema: {
        summary: 'List components (name prefix) or look one up by name and attribute',
        tags: ['v1'],
        querystring: ComponentQuerySchema,
        response: { 200: { anyOf: [ComponentSchema, { type: 'array', items: ComponentSchema }] }, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const model = await readModel.fresh(request);
      const { name = '', attribute_name: attributeName, attribute_value: attributeValue } = request.query;
      if (attributeName !== undefined && attributeValue !== undefined) {
        const component = model.findComponent(name, new Map([[attributeName, attributeValue]]));
        if (!component) return reply.code(404).send(errorBody(404, 'Component does not exist'));
        const json = keptText(model, 'v1:component', String(component.id), () => componentJson(component, model.componentStamp(component.id), () => model.eventsOf(component.id)));
        return sendJson(request, reply, 200, json);
      }
      const render = () => {
        const parts: string[] = [];
        for (const component of model.components.values()) {
          // A literal prefix on every database (spec §2.7), not a LIKE pattern.
          if (component.name.startsWith(name)) {
            parts.push(componentJson(component, model.componentStamp(component.id), () => model.eventsOf(component.id)));
          }
        }
        return `[${parts.join(',')}]`;
      };
      // The full list is always kept; prefixes, which anyone can make up, in a bounded number.
      const json = name === '' ? model.memoize('v1:components', () => Buffer.from(render())) : keptText(model, 'v1:components-by-prefix', name, render);
      return sendJson(request, reply, 200, json);
    },
  );

  app.post(
    '/component_status',
    {
      onRequest: app.requireApiToken,
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'Report a component status; monitoring opens, joins or escalates incidents',
        tags: ['v1'],
        security: [{ bearerAuth: [] }],
        body: StatusReportSchema,
        response: { 201: IncidentSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ConflictSchema, 422: ErrorSchema },
      },
    },
    async (request, reply) => {
      requireRole(request, 'operator');
      const impact = parseIncidentImpact(request.body.impact);
      if (impact === undefined) {
        metrics?.countReport('v1', 'refused');
        return reply.code(400).send(errorBody(400, 'Incident impact is not allowed by configuration'));
      }
      const component = { name: request.body.name, attributes: attributeMap(request.body.attributes ?? []) };
      const result = await countedReport(metrics, 'v1', () =>
        reportStatus(store, readModel, { component, impact, title: request.body.text }, clock, apiActor(request)),
      );
      switch (result.outcome) {
        case 'unknown-component':
          return reply.code(400).send(errorBody(400, 'Component not found'));
        case 'conflict':
          // The exact body of reference v1 §2.4.2, "this the" included: clients match on it.
          return reply.code(409).send({
            details: 'Check your request parameters',
            existingIncidentId: result.eventId,
            existingIncidentTitle: result.title,
            message: 'Incident with this the component already exists',
            targetComponent: result.component,
          });
        default:
          return sendJson(request, reply, 201, incidentJson(result.event));
      }
    },
  );
};

export default routePlugin('v1-component-status', componentStatus);
