import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { oidcProvider } from '../auth/oidc-login.js';
import { resolveSecretKey } from '../auth/secret-key.js';
import { buildApp } from '../http/app.js';
import { ReadModel } from '../read-model/read-model.js';
import { migrateToLatest, openStore } from '../storage/store.js';
import { syncCatalogFile } from './catalog-file.js';
import { readSiteSettings } from './site-settings.js';
import { advanceLifecycles } from '../storage/lifecycle.js';

const LIFECYCLE_INTERVAL = 30_000;

/**
 * Starts the dashboard: migrations, the catalog (when SD_CATALOG is set), a warm read cache,
 * then the HTTP server. The only place that listens.
 */
export async function startServer(config: Readonly<Config>): Promise<FastifyInstance> {
  const clock = () => Date.now();
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  const site = readSiteSettings(config);
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    const catalog = config.catalogFile ? await syncCatalogFile(store, config.catalogFile, clock(), 'system:catalog') : undefined;
    const readModel = new ReadModel(store);
    await readModel.fresh();
    const app = await buildApp({
      store,
      readModel,
      clock,
      publicUrl: config.publicUrl,
      site,
      login: config.oidc && oidcProvider(config.oidc),
      operatorGroup: config.oidc?.requiredGroup,
      authCallbackUrls: config.authCallbackUrls,
      trustProxy: config.trustProxy,
      apiTokens: {
        secretKey: secretKey.value,
        payloadKey: config.apiPayloadKey,
        oidc: config.oidc && { issuer: config.oidc.issuer, clientId: config.oidc.clientId, requiredGroup: config.oidc.requiredGroup },
      },
      logLevel: config.logLevel,
    });
    // Maintenance windows and notices write their "in progress" and "completed" entries by
    // themselves; every instance may run this, the write lock keeps each entry single.
    const lifecycle = setInterval(() => {
      advanceLifecycles(store, clock()).catch((error: unknown) => app.log.error({ err: error }, 'lifecycle step failed'));
    }, LIFECYCLE_INTERVAL);
    lifecycle.unref();
    app.addHook('onClose', async () => {
      clearInterval(lifecycle);
      await store.close();
    });
    await advanceLifecycles(store, clock());
    if (catalog) {
      app.log.info({ file: config.catalogFile, created: catalog.created.length, unchanged: catalog.unchanged }, 'catalog synchronised');
    }
    if (secretKey.file) {
      app.log.info(
        `API tokens are signed with the key kept in ${secretKey.file}${secretKey.generated ? ' (generated now)' : ''}; ` +
          'mint one with: npx status-dashboard token',
      );
    }
    await app.listen({ port: config.port, host: config.host });
    return app;
  } catch (error) {
    await store.close();
    throw error;
  }
}
