import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteOptions } from '../deps.js';
import { V2Error } from './errors.js';
import { componentV2 } from './present.js';

/** Read side of the v2 components (reference v3 §3.8); the reporter resolves ids from this list. */
const components: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel } }) => {
  app.get('/components', { schema: { summary: 'Every component with its attributes, by id', tags: ['v2'] } }, async () => {
    const model = await readModel.fresh();
    return model.memoize('v2:components', () => [...model.components.values()].map(componentV2));
  });

  app.get(
    '/components/:componentId',
    { schema: { summary: 'One component', tags: ['v2'], params: Type.Object({ componentId: Type.String() }) } },
    async (request) => {
      const id = /^\d+$/.test(request.params.componentId) ? Number(request.params.componentId) : Number.NaN;
      if (!(id >= 1)) throw new V2Error(400, 'component invalid format');
      const component = (await readModel.fresh()).components.get(id);
      if (!component) throw new V2Error(404, 'component does not exist');
      return componentV2(component);
    },
  );
};

export default components;
