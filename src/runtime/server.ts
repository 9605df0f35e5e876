import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { oidcProvider } from '../auth/oidc-login.js';
import { resolveSecretKey } from '../auth/secret-key.js';
import { CatalogError } from '../domain/catalog.js';
import { buildApp } from '../http/app.js';
import { ReadModel } from '../read-model/read-model.js';
import { Metrics } from '../metrics/metrics.js';
import { isDatabaseUnavailable } from '../storage/failures.js';
import { advanceLifecycles } from '../storage/lifecycle.js';
import { subscriptionLinkKey } from '../auth/subscription-links.js';
import { smtpMailer } from '../notify/mailer.js';
import { startNotifier } from '../notify/notifier.js';
import { migrateToLatest, openStore, type Store } from '../storage/store.js';
import { syncCatalogFile } from './catalog-file.js';
import { readSiteSettings } from './site-settings.js';
import { databaseStartFailure, fileStartFailure, listenStartFailure, StartFailure } from './start-failure.js';

const LIFECYCLE_INTERVAL = 30_000;

/**
 * Starts the dashboard: migrations, the catalog (when SD_CATALOG is set), a warm read cache,
 * then the HTTP server. The only place that listens. Whatever stops the start is a StartFailure:
 * one line that names the setting to look at.
 */
export async function startServer(config: Readonly<Config>): Promise<FastifyInstance> {
  const clock = () => Date.now();
  let secretKey;
  try {
    secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  } catch (error) {
    throw fileStartFailure('SD_DATA_DIR', 'keep the generated secret key in', error);
  }
  const site = readSiteSettings(config);
  const store = await openMigrated(config);
  try {
    const catalog = config.catalogFile ? await syncCatalog(store, config.catalogFile, clock()) : undefined;
    const readModel = new ReadModel(store, { readWaitMs: config.database.readWaitMs });
    const metrics = new Metrics({ store, readModel, clock });
    await readModel.load().catch((error: unknown) => {
      throw databaseStartFailure(config.databaseUrl, error);
    });
    const linkKey = subscriptionLinkKey(secretKey.value);
    const app = await buildApp({
      store,
      readModel,
      clock,
      publicUrl: config.publicUrl,
      allowPrivateWebhooks: config.notifications.allowPrivateWebhooks,
      site,
      login: config.oidc && oidcProvider(config.oidc),
      roleGroups: config.oidc?.roles,
      authCallbackUrls: config.authCallbackUrls,
      trustProxy: config.trustProxy,
      apiTokens: {
        secretKey: secretKey.value,
        payloadKey: config.apiPayloadKey,
        oidc: config.oidc && { issuer: config.oidc.issuer, clientId: config.oidc.clientId, roles: config.oidc.roles },
      },
      logLevel: config.logLevel,
      limits: config.http,
      // Subscribing by email needs a relay to send the confirmation: without one, no page offers it.
      subscriptions: config.notifications.smtp ? { linkKey } : undefined,
      metrics,
      metricsToken: config.metricsToken,
    });
    readModel.onFailure = (error) => app.log.error({ err: error }, 'the read model could not catch up');
    // Maintenance windows and notices write their "in progress" and "completed" entries by
    // themselves; every instance may run this, the write lock keeps each entry single.
    const lifecycle = setInterval(() => {
      advanceLifecycles(store, clock()).catch((error: unknown) => {
        // While the database is away the health log says so once; this step simply tries again.
        if (!isDatabaseUnavailable(error)) app.log.error({ err: error }, 'lifecycle step failed');
      });
    }, LIFECYCLE_INTERVAL);
    lifecycle.unref();
    // Every instance turns changes into deliveries and sends them (issue 18); the database keeps
    // each delivery to one instance at a time.
    const mailer = config.notifications.smtp && smtpMailer(config.notifications.smtp.url, config.notifications.smtp.from);
    const notifier = startNotifier(
      { store, readModel, clock, log: app.log, observer: metrics.notifications },
      {
        publicUrl: config.publicUrl,
        site: site.title,
        linkKey,
        mailer,
        webhookTimeoutMs: 10_000,
        allowPrivateWebhooks: config.notifications.allowPrivateWebhooks,
        intervalMs: 1_000,
        concurrency: 8,
        // From a backlog at most 8 deliveries per 20 ms, as with claims of 8, in claims of 64:
        // each claim and settlement costs the server's thread about as much as one of 8.
        claimSize: 64,
        paceMs: 160,
        claimMs: 60_000,
        coalesceMs: config.notifications.coalesceMs,
        reminderLeads: config.notifications.reminderLeads,
      },
    );
    app.addHook('onClose', async () => {
      clearInterval(lifecycle);
      await notifier.stop();
      mailer?.close();
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
    await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
      throw listenStartFailure(config.host, config.port, error);
    });
    return app;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The store of SD_DATABASE_URL with its schema current: the first place a wrong URL shows. */
async function openMigrated(config: Readonly<Config>): Promise<Store> {
  let store: Store;
  try {
    store = openStore(config.databaseUrl, config.database);
  } catch (error) {
    throw databaseStartFailure(config.databaseUrl, error);
  }
  try {
    await migrateToLatest(store);
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw databaseStartFailure(config.databaseUrl, error);
  }
}

async function syncCatalog(store: Store, file: string, now: number) {
  try {
    return await syncCatalogFile(store, file, now, 'system:catalog');
  } catch (error) {
    if (error instanceof CatalogError) throw new StartFailure(`SD_CATALOG: ${error.message}`, { cause: error });
    throw error;
  }
}
