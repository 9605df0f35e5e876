import { once } from 'node:events';
import type { Config } from '../config.js';
import { startServer } from '../runtime/server.js';
import type { CliIo } from './io.js';

/** `status-dashboard serve`: the dashboard until `io.signal` aborts, or else until SIGTERM or SIGINT. */
export async function runServe(config: Readonly<Config>, io: CliIo): Promise<number> {
  const app = await startServer(config);
  const stop = io.signal ?? stopSignal();
  // A status page must outlive whatever it did not expect: a promise nobody waited for is logged,
  // not a reason to stop answering (the database's own failures are all handled where they occur).
  const onRejection = (reason: unknown) => app.log.error({ err: reason }, 'unhandled rejection');
  process.on('unhandledRejection', onRejection);
  try {
    if (!stop.aborted) await once(stop, 'abort');
    app.log.info({ signal: String(stop.reason) }, 'shutting down');
    await app.close();
    return 0;
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}

/** Aborts on the first SIGTERM or SIGINT, its reason the signal's name. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    controller.abort(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return controller.signal;
}
