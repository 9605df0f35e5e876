import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { addComponent } from '../../storage/components.js';
import { jsonOf, keptText } from '../kept-json.js';
import { sendJson } from '../send-json.js';
import type { RouteOptions } from '../deps.js';
import { pathId } from './errors.js';
import { componentV2 } from '../../domain/v2-shapes.js';
import { HttpError } from '../errors.js';
import { apiActor, requireRole } from '../plugins/api-auth.js';
import { IdParam } from '../validation.js';
import { ComponentV2, NewComponentV2 } from './schemas.js';
import { routePlugin } from '../route-plugin.js';

/** Read side of the v2 components (reference v3 §3.8); the reporter resolves ids from this list. */
const NewComponentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    attrs: Type.Array(Type.Object({ name: Type.String(), value: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }), {
      description: 'exactly the attributes type, region and category',
    }),
  },
  { additionalProperties: false },
);
const REQUIRED_ATTRIBUTES = ['category', 'region', 'type'];

const components: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock } }) => {
  app.get('/components', { schema: { summary: 'Every component with its attributes, by id', tags: ['v2'], response: { 200: Type.Array(ComponentV2) } } }, async (request, reply) => {
    const model = await readModel.fresh(request);
    const json = model.memoize('v2:components', () => Buffer.from(jsonOf(reply, [...model.components.values()].map(componentV2))));
    return sendJson(request, reply, 200, json);
  });

  app.get(
    '/components/:componentId',
    { schema: { summary: 'One component', tags: ['v2'], params: Type.Object({ componentId: IdParam }), response: { 200: ComponentV2 } } },
    async (request, reply) => {
      const id = pathId(request.params.componentId, 'component invalid format');
      const model = await readModel.fresh(request);
      const component = model.components.get(id);
      if (!component) throw new HttpError(404, 'component does not exist');
      return sendJson(request, reply, 200, keptText(model, 'v2:component', String(id), () => jsonOf(reply, componentV2(component))));
    },
  );

  app.post(
    '/components',
    {
      onRequest: app.requireApiToken,
      schema: { summary: 'Add a component (name plus type, region and category)', tags: ['v2'], security: [{ bearerAuth: [] }], body: NewComponentSchema, response: { 201: NewComponentV2 } },
    },
    async (request, reply) => {
      requireRole(request, 'operator');
      const { name, attrs } = request.body;
      if (attrs.map((a) => a.name).sort().join() !== REQUIRED_ATTRIBUTES.join()) throw new HttpError(400, 'component attribute has invalid format');
      const result = await addComponent(store, { name, attributes: attrs }, clock(), apiActor(request));
      // One clean answer for a duplicate, where the Go back end wrote two JSON bodies.
      if (result.outcome === 'exists') throw new HttpError(409, 'component already exists');
      return reply.code(201).send({ id: result.component.id, attributes: attrs, name });
    },
  );
};

export default routePlugin('v2-components', components);
