import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import { componentLabel } from '../domain/component.js';
import { syncCatalogFile } from '../runtime/catalog-file.js';
import { migrateToLatest, openStore } from '../storage/store.js';
import type { CliIo } from './io.js';

export async function runCatalogSync(config: Readonly<Config>, file: string, io: CliIo): Promise<number> {
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    const result = await syncCatalogFile(store, file, Date.now(), `cli:${userInfo().username}`);
    for (const component of result.created) io.stdout.write(`added ${componentLabel(component)}\n`);
    io.stdout.write(`${result.created.length} added, ${result.unchanged} already present\n`);
    return 0;
  } finally {
    await store.close();
  }
}
