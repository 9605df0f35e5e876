import type { Config } from '../config.js';
import type { CliIo } from './io.js';
import { migrateToLatest, openStore } from '../storage/store.js';

export async function runMigrate(config: Readonly<Config>, io: CliIo): Promise<number> {
  const store = openStore(config.databaseUrl);
  try {
    const { results = [] } = await migrateToLatest(store);
    for (const result of results) io.stdout.write(`${result.status === 'Success' ? 'applied' : result.status}: ${result.migrationName}\n`);
    if (results.length === 0) io.stdout.write('schema is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}
