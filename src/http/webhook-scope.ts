import type { Component } from '../domain/component.js';
import { coversComponent, type NotificationScope } from '../domain/notifications/scope.js';

/**
 * Why a webhook's scope would never match anything in this catalog, or undefined: a region or
 * category no service has, components that do not exist, or no kind of news at all. A webhook
 * that can never fire is a mistake best told when it is made (a typo in a region).
 */
export function scopeCatalogProblem(scope: NotificationScope, components: ReadonlyMap<number, Component>): string | undefined {
  if (scope.incidents === null && !scope.maintenances && !scope.notices) return 'scope wants no news: set incidents (1, 2 or 3), maintenances or notices';
  const { place } = scope;
  switch (place.kind) {
    case 'cloud':
      return undefined;
    case 'components': {
      const missing = place.componentIds.filter((id) => !components.has(id));
      return missing.length === 0 ? undefined : `component does not exist, component_id: ${missing.join(', ')}`;
    }
    case 'region':
    case 'category': {
      if ([...components.values()].some((component) => coversComponent(place, component))) return undefined;
      return place.kind === 'region' ? `no component is in region ${place.region}` : `no component is in category ${place.category}${place.region === undefined ? '' : ` in region ${place.region}`}`;
    }
  }
}
