import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';
import { databaseOf } from '../../src/storage/database-of.js';

/**
 * What concurrent reports must never break: a component sits in at most one active system
 * incident, no two active system incidents share an impact, and no emptied incident stays open.
 */
export async function assertIncidentInvariants(store: Store, now: number): Promise<{ activeSystemIncidents: number }> {
  const active = await databaseOf(store)
    .selectFrom('event as e')
    .leftJoin('event_component as l', 'l.event_id', 'e.id')
    .select(['e.id', 'e.impact', 'l.component_id'])
    .where('e.type', '=', 'incident')
    .where('e.system', '=', 1)
    .where('e.start_at', '<=', now)
    .where((eb) => eb.or([eb('e.end_at', 'is', null), eb('e.end_at', '>', now)]))
    .execute();
  const componentsByIncident = new Map<number, number[]>();
  const impactByIncident = new Map<number, number>();
  for (const row of active) {
    const id = Number(row.id);
    impactByIncident.set(id, Number(row.impact));
    const components = componentsByIncident.get(id) ?? [];
    if (row.component_id !== null) components.push(Number(row.component_id));
    componentsByIncident.set(id, components);
  }
  const owner = new Map<number, number>();
  for (const [id, components] of componentsByIncident) {
    assert.ok(components.length > 0, `active system incident ${id} has no component left`);
    for (const component of components) {
      assert.equal(owner.get(component), undefined, `component ${component} is in incidents ${owner.get(component)} and ${id}`);
      owner.set(component, id);
    }
  }
  const impacts = [...impactByIncident.values()];
  assert.equal(new Set(impacts).size, impacts.length, `active system incidents share an impact: ${impacts.join(', ')}`);
  return { activeSystemIncidents: impactByIncident.size };
}
