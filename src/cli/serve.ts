import type { Config } from '../config.js';
import { startServer } from '../runtime/server.js';

export async function runServe(config: Readonly<Config>): Promise<number> {
  const app = await startServer(config);
  // A status page must outlive whatever it did not expect: a promise nobody waited for is logged,
  // not a reason to stop answering (the database's own failures are all handled where they occur).
  process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
  const stop = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return 0;
}
