import type { Kysely } from 'kysely';
import { findMatchingComponent, type Attribute, type Component, type ComponentRef } from '../domain/component.js';
import type { Database } from './schema.js';
import { withWriteTransaction, type WriteContext } from './write-transaction.js';
import type { Store } from './store.js';
import { writeAudit } from './audit.js';
import { databaseOf } from './database-of.js';

interface ComponentWithAttributeRow {
  id: number;
  name: string;
  attribute_name: string | null;
  attribute_value: string | null;
  created_at: number;
}

function assembleComponents(rows: readonly ComponentWithAttributeRow[]): Component[] {
  const byId = new Map<number, Component>();
  for (const row of rows) {
    let component = byId.get(row.id);
    if (!component) {
      component = { id: Number(row.id), name: row.name, attributes: [] };
      byId.set(row.id, component);
    }
    if (row.attribute_name !== null && row.attribute_value !== null) {
      component.attributes.push({ name: row.attribute_name, value: row.attribute_value });
    }
  }
  return [...byId.values()];
}

function selectComponents(db: Kysely<Database>) {
  return db
    .selectFrom('component as c')
    .leftJoin('component_attribute as a', 'a.component_id', 'c.id')
    .select(['c.id', 'c.name', 'c.created_at', 'a.name as attribute_name', 'a.value as attribute_value'])
    .orderBy('c.id')
    .orderBy('a.position');
}

/** Components changed after `version` (every component when it is -1), with their attributes and when each was created. */
export async function loadComponentsChangedSince(db: Kysely<Database>, version: number): Promise<{ components: Component[]; createdAt: Map<number, number> }> {
  const rows = await selectComponents(db).where('c.revision', '>', version).execute();
  return { components: assembleComponents(rows), createdAt: new Map(rows.map((row) => [Number(row.id), Number(row.created_at)])) };
}

/** The components reports name, in the order asked (undefined: none matches), read in one query. */
export async function findReportedComponents(db: Kysely<Database>, refs: readonly ComponentRef[]): Promise<(Component | undefined)[]> {
  const ids = refs.flatMap((ref) => ('id' in ref ? [ref.id] : []));
  const names = refs.flatMap((ref) => ('name' in ref ? [ref.name] : []));
  if (ids.length === 0 && names.length === 0) return [];
  const rows = await selectComponents(db)
    .where((eb) => eb.or([...(ids.length > 0 ? [eb('c.id', 'in', ids)] : []), ...(names.length > 0 ? [eb('c.name', 'in', names)] : [])]))
    .execute();
  const candidates = assembleComponents(rows);
  const byId = new Map(candidates.map((component) => [component.id, component]));
  return refs.map((ref) => ('id' in ref ? byId.get(ref.id) : findMatchingComponent(candidates, ref.name, ref.attributes)));
}

/** The components with these ids, in the order asked; unknown ids are left out. */
export async function findComponentsById(db: Kysely<Database>, ids: readonly number[]): Promise<Component[]> {
  if (ids.length === 0) return [];
  const found = new Map(assembleComponents(await selectComponents(db).where('c.id', 'in', ids).execute()).map((c) => [c.id, c]));
  return ids.map((id) => found.get(id)).filter((component): component is Component => component !== undefined);
}

/** The same, for callers outside storage (the CLI names the components of subscribers' scopes). */
export async function componentsWithIds(store: Store, ids: readonly number[]): Promise<Component[]> {
  return findComponentsById(databaseOf(store), ids);
}

export interface CatalogEntry {
  name: string;
  attributes: Attribute[];
}

export interface CatalogSyncResult {
  created: Component[];
  unchanged: number;
}

/**
 * Adds every catalog entry that no component matches yet. Idempotent, and it never deletes:
 * incidents keep pointing at components that left the catalog.
 */
export async function syncCatalog(
  store: Store,
  entries: readonly CatalogEntry[],
  now: number,
  actor: string,
): Promise<CatalogSyncResult> {
  return withWriteTransaction(store, async (context) => {
    const known = assembleComponents(await selectComponents(context.tx).execute());
    const created: Component[] = [];
    for (const entry of entries) {
      const wanted = new Map(entry.attributes.map((attribute) => [attribute.name, attribute.value]));
      if (findMatchingComponent(known, entry.name, wanted)) continue;
      const component = await createComponent(context, entry, now);
      await writeAudit(context.tx, [{ at: now, actor, action: 'component.create', entity: 'component', entityId: component.id, before: null, after: component }]);
      known.push(component);
      created.push(component);
    }
    return { created, unchanged: entries.length - created.length };
  });
}

export type AddComponentResult = { outcome: 'created'; component: Component } | { outcome: 'exists'; component: Component };

/**
 * Adds one component unless one with the same name already serves the same region (reference v3
 * §3.8): checked and written under the write lock, so two racing requests cannot both add it.
 */
export async function addComponent(store: Store, entry: CatalogEntry, now: number, actor: string): Promise<AddComponentResult> {
  return withWriteTransaction(store, async (context) => {
    const region = entry.attributes.find((attribute) => attribute.name === 'region')?.value;
    const sameName = assembleComponents(await selectComponents(context.tx).where('c.name', '=', entry.name).execute());
    const existing = sameName.find((component) => component.attributes.some((a) => a.name === 'region' && a.value === region));
    if (existing) return { outcome: 'exists', component: existing };
    const component = await createComponent(context, entry, now);
    await writeAudit(context.tx, [{ at: now, actor, action: 'component.create', entity: 'component', entityId: component.id, before: null, after: component }]);
    return { outcome: 'created', component };
  });
}

async function createComponent(context: WriteContext, entry: CatalogEntry, now: number): Promise<Component> {
  const revision = await context.revision();
  const { id } = await context.tx
    .insertInto('component')
    .values({ name: entry.name, revision, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (entry.attributes.length > 0) {
    await context.tx
      .insertInto('component_attribute')
      .values(entry.attributes.map((attribute, position) => ({ component_id: id, ...attribute, position })))
      .execute();
  }
  return { id: Number(id), name: entry.name, attributes: entry.attributes.map((attribute) => ({ ...attribute })) };
}
