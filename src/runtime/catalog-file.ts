import { readFile } from 'node:fs/promises';
import { CatalogError, parseCatalog } from '../domain/catalog.js';
import { syncCatalog, type CatalogSyncResult } from '../storage/components.js';
import type { Store } from '../storage/store.js';

/** Reads a catalog YAML file and adds the components the database lacks (idempotent). */
export async function syncCatalogFile(store: Store, file: string, now: number, actor: string): Promise<CatalogSyncResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CatalogError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let entries;
  try {
    entries = parseCatalog(text);
  } catch (error) {
    if (error instanceof CatalogError) throw new CatalogError(`${file}: ${error.message}`);
    throw error;
  }
  return syncCatalog(store, entries, now, actor);
}
