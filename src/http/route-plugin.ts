import fp from 'fastify-plugin';

/**
 * A plugin of routes, under a name: as encapsulated as any plugin (its hooks and decorations stay
 * inside it), but named, so that Fastify does not search the whole module cache for a name each
 * time it registers it (5 ms of every app built, a sixth; the tests build hundreds).
 */
export function routePlugin<Plugin extends (...args: never[]) => unknown>(name: string, plugin: Plugin): Plugin {
  return fp(plugin as never, { name, encapsulate: true }) as unknown as Plugin;
}
