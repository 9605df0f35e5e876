// The architecture, checked on every `npm test` (npm run lint). Each layer may import the
// layers listed for it and nothing else; a forbidden import fails with the message of its rule,
// which names the layer to use instead. docs/architecture.md draws the same map.
//
//   domain      pure rules and types: no I/O, no other layer
//   storage     schema, migrations, queries, the write transaction        → domain
//   read-model  the state in memory, one version check per read           → domain, storage
//   services    use cases (a monitoring report: preview, then the lock)  → domain, storage, read-model
//   auth        identities: passwords, tokens, sessions, login limits    → domain, storage
//   web         views (preact)                                           → domain
//   notify      notifications: the delivery worker, SMTP, webhooks       → domain, storage, read-model, auth, web
//   metrics     the Prometheus registry, fed by the layers' observers     → domain, storage, read-model, notify
//   http        API v1, API v2, /auth, feeds, pages, operator forms      → all of the above
//   runtime     composition: configuration (src/config.ts), the server   → all but cli
//   cli         commands                                                 → runtime, notify, auth, storage, domain
const layer = (name) => (name === 'config' ? '^src/config\\.ts$' : `^src/${name}/`);
const outside = (...allowed) => `^src/(?!(?:${allowed.join('|')})/)[^/]+/`;
/** Lets layer `from` import its own folder and the `allowed` layers only; never config, whose settings the runtime hands down. */
const importsOnly = (from, allowed, name, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: layer(from) },
  to: { path: [outside(from, ...allowed), '^src/config\\.ts$'] },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain imports no other layer: take what the rule needs as arguments, and put queries in storage, time and I/O in services or http',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: ['^src/(?!domain/)', '^src/config\\.ts$'] },
    },
    {
      name: 'domain-has-no-io',
      comment: 'domain does no I/O: databases, HTTP, files, clocks and crypto belong to storage, http, auth or runtime',
      severity: 'error',
      from: { path: layer('domain') },
      to: {
        dependencyTypes: ['core', 'npm'],
        path: ['^(node:)?(fs|net|http|https|http2|child_process|worker_threads|dgram|dns|tls|cluster|crypto)(/|$)', '(^|/)node_modules/(kysely|pg|better-sqlite3|fastify|@fastify|openid-client|jose|preact|preact-render-to-string)/'],
      },
    },
    {
      name: 'migrations-are-frozen',
      comment: 'a migration imports no app code (only ./types.ts): it must keep doing what it did when it shipped',
      severity: 'error',
      from: { path: '^src/storage/migrations/' },
      to: { path: '^src/(?!storage/migrations/)' },
    },
    importsOnly('storage', ['domain'], 'storage-uses-domain-only', 'storage may import only domain: move shared types into domain, and callers (services, http) into their own layer'),
    importsOnly('read-model', ['domain', 'storage'], 'read-model-below-services', 'read-model may import domain and storage only: what uses it belongs to services or http'),
    importsOnly('services', ['domain', 'storage', 'read-model'], 'services-below-http', 'services may import domain, storage and read-model only: HTTP shapes belong to http, views to web'),
    importsOnly('auth', ['domain', 'storage'], 'auth-below-http', 'auth may import domain and storage only: routes and hooks that use it belong to http'),
    importsOnly('web', ['domain'], 'web-renders-domain-values', 'web (views) may import domain only: http reads storage and the read model and hands the views domain values'),
    importsOnly('notify', ['domain', 'storage', 'read-model', 'auth', 'web'], 'notify-below-http', 'notify (the delivery worker and its senders) may import domain, storage, read-model, auth and web: routes belong to http, the worker is started by runtime'),
    importsOnly('metrics', ['domain', 'storage', 'read-model', 'notify'], 'metrics-below-http', 'metrics (the Prometheus registry) may import domain, storage, read-model and notify, whose observers it implements: http serves and feeds it, runtime builds it'),
    {
      name: 'http-below-runtime',
      comment: 'http may not import runtime or cli: runtime composes http (src/runtime/server.ts), not the other way round',
      severity: 'error',
      from: { path: layer('http') },
      to: { path: ['^src/(runtime|cli)/', '^src/config\\.ts$'] },
    },
    {
      name: 'runtime-below-cli',
      comment: 'runtime and config may not import cli: the commands start the runtime',
      severity: 'error',
      from: { path: ['^src/runtime/', '^src/config\\.ts$'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'cli-through-runtime',
      comment: 'cli reaches http and web only through runtime (src/runtime/server.ts)',
      severity: 'error',
      from: { path: layer('cli') },
      to: { path: '^src/(http|web|read-model|services)/' },
    },
    {
      name: 'queries-stay-in-storage',
      comment: 'the query builder (storage/database-of.ts) is storage\'s own: add a storage function for the query and call that',
      severity: 'error',
      from: { path: '^src/(?!storage/)' },
      to: { path: '^src/storage/database-of\\.ts$' },
    },
    {
      name: 'src-stands-alone',
      comment: 'the product never imports the tests, the bench or the scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'modules that import each other are one module in two files: merge them, or move what both need into a third',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.d.ts'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
