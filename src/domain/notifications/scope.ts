import { attributeValue, type Component } from '../component.js';
import type { EventType } from '../event.js';
import { isIncidentImpact, type ImpactLevel, type IncidentImpact } from '../impact.js';

/** Where a subscriber looks (issue 18): the whole cloud, a region, a category (in one region or all), or chosen components. */
export type ScopePlace =
  | { kind: 'cloud' }
  | { kind: 'region'; region: string }
  | { kind: 'category'; category: string; region?: string | undefined }
  | { kind: 'components'; componentIds: number[] };

/** What a subscriber wants to hear of, and where. */
export interface NotificationScope {
  place: ScopePlace;
  /** incidents from this impact up (1 minor, 2 major, 3 outage); null: none */
  incidents: IncidentImpact | null;
  maintenances: boolean;
  notices: boolean;
}

export const WHOLE_CLOUD: NotificationScope = { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true };

/** The most components a scope may name: a handful in practice, a ceiling against abuse. */
export const MAX_SCOPE_COMPONENTS = 200;
const MAX_NAME_LENGTH = 100;

export function coversComponent(place: ScopePlace, component: Component): boolean {
  switch (place.kind) {
    case 'cloud':
      return true;
    case 'region':
      return attributeValue(component, 'region') === place.region;
    case 'category':
      return attributeValue(component, 'category') === place.category && (place.region === undefined || attributeValue(component, 'region') === place.region);
    case 'components':
      return place.componentIds.includes(component.id);
  }
}

/** Whether the scope wants this kind of event at this impact. */
export function wantsKind(scope: NotificationScope, type: EventType, impact: ImpactLevel): boolean {
  if (type === 'incident') return scope.incidents !== null && impact >= scope.incidents;
  return type === 'maintenance' ? scope.maintenances : scope.notices;
}

/** Whether a change of an event that touches these components (before or after it) concerns the scope. */
export function scopeMatches(scope: NotificationScope, event: { type: EventType; impact: ImpactLevel }, components: readonly Component[]): boolean {
  return wantsKind(scope, event.type, event.impact) && components.some((component) => coversComponent(scope.place, component));
}

/** "Major incidents and outages, maintenances of Compute in EU-DE": what a subscriber signed up for, in words. */
export function describeScope(scope: NotificationScope, componentName: (id: number) => string | undefined = () => undefined): string {
  const kinds = [
    scope.incidents === null ? undefined : ['all incidents', 'major incidents and outages', 'outages'][scope.incidents - 1],
    scope.maintenances ? 'maintenances' : undefined,
    scope.notices ? 'notices' : undefined,
  ].filter((kind): kind is string => kind !== undefined);
  const what = kinds.length === 0 ? 'nothing' : kinds.length === 1 ? (kinds[0] ?? '') : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1) ?? ''}`;
  const { place } = scope;
  switch (place.kind) {
    case 'cloud':
      return `${upperFirst(what)} of the whole cloud`;
    case 'region':
      return `${upperFirst(what)} in ${place.region}`;
    case 'category':
      return `${upperFirst(what)} of ${place.category}${place.region === undefined ? ' in every region' : ` in ${place.region}`}`;
    case 'components': {
      const names = place.componentIds.map((id) => componentName(id) ?? `#${id}`);
      return `${upperFirst(what)} of ${names.join(', ')}`;
    }
  }
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A scope from untrusted input (a form, an API body, a stored row): the shape checked, names
 * bounded, duplicates dropped. Undefined when it is not one.
 */
export function parseScope(value: unknown): NotificationScope | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { place, incidents, maintenances, notices } = value as Record<string, unknown>;
  const parsedPlace = parsePlace(place);
  if (!parsedPlace) return undefined;
  if (incidents !== null && !(typeof incidents === 'number' && isIncidentImpact(incidents))) return undefined;
  if (typeof maintenances !== 'boolean' || typeof notices !== 'boolean') return undefined;
  return { place: parsedPlace, incidents, maintenances, notices };
}

const isName = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_NAME_LENGTH;

function parsePlace(value: unknown): ScopePlace | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const place = value as Record<string, unknown>;
  switch (place.kind) {
    case 'cloud':
      return { kind: 'cloud' };
    case 'region':
      return isName(place.region) ? { kind: 'region', region: place.region } : undefined;
    case 'category':
      if (!isName(place.category) || (place.region !== undefined && !isName(place.region))) return undefined;
      return place.region === undefined ? { kind: 'category', category: place.category } : { kind: 'category', category: place.category, region: place.region };
    case 'components': {
      const ids = place.componentIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SCOPE_COMPONENTS) return undefined;
      if (!ids.every((id): id is number => Number.isSafeInteger(id) && id > 0)) return undefined;
      return { kind: 'components', componentIds: [...new Set(ids)] };
    }
    default:
      return undefined;
  }
}
