import type { Attribute, Component } from '../../src/domain/component.js';
import type { EventType } from '../../src/domain/event.js';
import { syncCatalog } from '../../src/storage/components.js';
import type { Store } from '../../src/storage/store.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';

export type AttributeObject = Record<string, string>;

const toAttributes = (attributes: AttributeObject): Attribute[] =>
  Object.entries(attributes).map(([name, value]) => ({ name, value }));

/** Adds components (as the catalog would) and returns them in the order given. */
export async function createComponents(store: Store, entries: Record<string, AttributeObject> | [string, AttributeObject][], now = 0): Promise<Component[]> {
  const list = Array.isArray(entries) ? entries : Object.entries(entries);
  const { created } = await syncCatalog(store, list.map(([name, attributes]) => ({ name, attributes: toAttributes(attributes) })), now, 'test');
  return created;
}

/** The components of reference v1 §8.1 and §8.2: cmp1 {a1: v1, a2: v2} and cmp2 {a1: v1}. */
export async function createReferenceComponents(store: Store): Promise<{ cmp1: Component; cmp2: Component }> {
  const [cmp1, cmp2] = await createComponents(store, { cmp1: { a1: 'v1', a2: 'v2' }, cmp2: { a1: 'v1' } });
  if (!cmp1 || !cmp2) throw new Error('reference components not created');
  return { cmp1, cmp2 };
}

export interface EventSeed {
  type?: EventType;
  title?: string;
  impact?: number;
  startAt: number;
  endAt?: number | null;
  system?: boolean;
  status?: string;
  componentIds?: number[];
}

/**
 * Writes an event as the operator UI will (issue 5); until it exists, tests seed user incidents
 * and maintenances here, through the same write transaction and version bump as every change.
 */
export async function createEvent(store: Store, seed: EventSeed): Promise<number> {
  return withWriteTransaction(store, async (context) => {
    const revision = await context.revision();
    const type = seed.type ?? 'incident';
    const { id } = await context.tx
      .insertInto('event')
      .values({
        type,
        title: seed.title ?? (type === 'maintenance' ? 'Maintenance' : 'Incident'),
        description: null,
        impact: seed.impact ?? (type === 'incident' ? 1 : 0),
        start_at: seed.startAt,
        end_at: seed.endAt ?? null,
        status: seed.status ?? null,
        system: seed.system ? 1 : 0,
        revision,
        created_at: seed.startAt,
        updated_at: seed.startAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const componentIds = seed.componentIds ?? [];
    if (componentIds.length > 0) {
      await context.tx
        .insertInto('event_component')
        .values(componentIds.map((componentId, position) => ({ event_id: id, component_id: componentId, position })))
        .execute();
    }
    return Number(id);
  });
}
