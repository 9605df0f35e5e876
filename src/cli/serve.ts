import type { Config } from '../config.js';
import { startServer } from '../runtime/server.js';

export async function runServe(config: Readonly<Config>): Promise<number> {
  const app = await startServer(config);
  const stop = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return 0;
}
