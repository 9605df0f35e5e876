import type { Config } from '../config.js';
import { migrateToLatest, openStore } from '../storage/store.js';

export async function runMigrate(config: Readonly<Config>): Promise<number> {
  const store = openStore(config.databaseUrl);
  try {
    const { results = [] } = await migrateToLatest(store);
    for (const result of results) process.stdout.write(`${result.status === 'Success' ? 'applied' : result.status}: ${result.migrationName}\n`);
    if (results.length === 0) process.stdout.write('schema is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}
