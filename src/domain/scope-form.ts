import { attributeValue, type Component } from './component.js';
import { isContactEmail } from './contact-email.js';
import { parseId } from './ids.js';
import { isIncidentImpact } from './impact.js';
import { coversComponent, MAX_SCOPE_COMPONENTS, type NotificationScope, type ScopePlace } from './notifications/scope.js';
import type { FieldProblem } from './rules/operator-forms.js';
import { compareText } from './status-overview.js';

/**
 * The scope of a subscription as a form holds it (issue 18): where (`place`: cloud, region,
 * category, components, with `region`, `category`, `category_region` and `component` for the
 * chosen one) and what (`incidents`: 1, 2, 3 or none; `maintenances` and `notices` checked or
 * not). Plain fields and no script: a reader picks the radio of a place and its select.
 */
export type ScopeFormValues = Record<string, string | string[]>;

/** What a scope can name: the catalog's regions, categories and components. */
export interface ScopeCatalog {
  regions: readonly string[];
  categories: readonly string[];
  components: ReadonlyMap<number, Component>;
}

export function scopeCatalog(components: Iterable<Component>): ScopeCatalog {
  const byId = new Map<number, Component>();
  const regions = new Set<string>();
  const categories = new Set<string>();
  for (const component of components) {
    byId.set(component.id, component);
    const region = attributeValue(component, 'region');
    const category = attributeValue(component, 'category');
    if (region !== undefined) regions.add(region);
    if (category !== undefined) categories.add(category);
  }
  return { regions: [...regions].sort(compareText), categories: [...categories].sort(compareText), components: byId };
}

/** What a link to `/subscribe` may preset: what the reader was looking at. */
export interface ScopePreset {
  region?: string | undefined;
  category?: string | undefined;
  /** component ids (an incident page's services) */
  component?: string | readonly string[] | undefined;
  /** a component name (the history's service filter), in the region and category given */
  service?: string | undefined;
}

/** The kinds a new subscription starts with: everything, which the reader narrows. */
const EVERY_KIND = { incidents: 1, maintenances: true, notices: true } as const;

/**
 * The scope a preset names, from the most precise thing it names that exists: chosen components,
 * a service by name, a category (in a region or every region), a region; else the whole cloud.
 * Unknown values are dropped, so a made-up link only loses its preset.
 */
export function presetScope(preset: ScopePreset, catalog: ScopeCatalog): NotificationScope {
  const region = preset.region !== undefined && catalog.regions.includes(preset.region) ? preset.region : undefined;
  const category = preset.category !== undefined && catalog.categories.includes(preset.category) ? preset.category : undefined;
  const ids = [preset.component ?? []]
    .flat()
    .map(parseId)
    .filter((id): id is number => id !== undefined && catalog.components.has(id));
  const named = preset.service === undefined ? [] : [...catalog.components.values()].filter((component) => component.name === preset.service && fits(component, region, category)).map((component) => component.id);
  const chosen = [...new Set(ids.length > 0 ? ids : named)].slice(0, MAX_SCOPE_COMPONENTS);
  let place: ScopePlace = { kind: 'cloud' };
  if (chosen.length > 0) place = { kind: 'components', componentIds: chosen };
  else if (category !== undefined) place = { kind: 'category', category, region };
  else if (region !== undefined) place = { kind: 'region', region };
  return { place, ...EVERY_KIND };
}

function fits(component: Component, region: string | undefined, category: string | undefined): boolean {
  return (region === undefined || attributeValue(component, 'region') === region) && (category === undefined || attributeValue(component, 'category') === category);
}

/** A scope as the form's fields: what the form shows for a preset or a subscriber's current scope. */
export function scopeFormValues(scope: NotificationScope): ScopeFormValues {
  const { place } = scope;
  const values: ScopeFormValues = { place: place.kind, incidents: scope.incidents === null ? 'none' : String(scope.incidents) };
  if (scope.maintenances) values.maintenances = 'yes';
  if (scope.notices) values.notices = 'yes';
  if (place.kind === 'region') values.region = place.region;
  if (place.kind === 'category') {
    values.category = place.category;
    values.category_region = place.region ?? '';
  }
  if (place.kind === 'components') values.component = place.componentIds.map(String);
  return values;
}

const text = (values: ScopeFormValues, name: string): string => {
  const value = values[name];
  return typeof value === 'string' ? value : (value?.[0] ?? '');
};

export type ScopeFormResult = { scope: NotificationScope; problems: [] } | { scope: undefined; problems: FieldProblem[] };

/**
 * Reads a scope form against the catalog: every name must exist, chosen components at least one
 * and at most MAX_SCOPE_COMPONENTS, the place must cover a service, and something must be wanted.
 * A refusal names the fields to correct.
 */
export function readScopeForm(values: ScopeFormValues, catalog: ScopeCatalog): ScopeFormResult {
  const problems: FieldProblem[] = [];
  const place = readPlace(values, catalog, problems);
  const incidentsText = text(values, 'incidents') || 'none';
  const incidentsLevel = Number(incidentsText);
  const incidents = incidentsText === 'none' ? null : isIncidentImpact(incidentsLevel) ? incidentsLevel : undefined;
  if (incidents === undefined) problems.push({ field: 'incidents', message: 'Incidents: not a valid choice.' });
  const maintenances = text(values, 'maintenances') !== '';
  const notices = text(values, 'notices') !== '';
  if (incidents === null && !maintenances && !notices) problems.push({ field: 'kinds', message: 'Choose at least one kind of news: incidents, maintenances or notices.' });
  if (!place || incidents === undefined || problems.length > 0) return { scope: undefined, problems };
  return { scope: { place, incidents, maintenances, notices }, problems: [] };
}

function readPlace(values: ScopeFormValues, catalog: ScopeCatalog, problems: FieldProblem[]): ScopePlace | undefined {
  const kind = text(values, 'place');
  let place: ScopePlace | undefined;
  switch (kind) {
    case 'cloud':
      return { kind: 'cloud' };
    case 'region': {
      const region = text(values, 'region');
      if (!catalog.regions.includes(region)) return refuse(problems, 'region', 'Choose a region.');
      place = { kind: 'region', region };
      break;
    }
    case 'category': {
      const category = text(values, 'category');
      const region = text(values, 'category_region');
      if (!catalog.categories.includes(category)) return refuse(problems, 'category', 'Choose a category.');
      if (region !== '' && !catalog.regions.includes(region)) return refuse(problems, 'category_region', 'Choose a region for the category, or every region.');
      place = region === '' ? { kind: 'category', category } : { kind: 'category', category, region };
      break;
    }
    case 'components': {
      const given = [values.component ?? []].flat();
      const ids = [...new Set(given.map(parseId))];
      if (ids.length === 0) return refuse(problems, 'component', 'Choose at least one service.');
      if (ids.length > MAX_SCOPE_COMPONENTS) return refuse(problems, 'component', `Choose at most ${MAX_SCOPE_COMPONENTS} services, or a category or region.`);
      if (!ids.every((id): id is number => id !== undefined && catalog.components.has(id))) return refuse(problems, 'component', 'Services: not a valid choice.');
      return { kind: 'components', componentIds: ids };
    }
    default:
      return refuse(problems, 'place', 'Choose what to follow: the whole cloud, a region, a category or services.');
  }
  if (![...catalog.components.values()].some((component) => coversComponent(place, component))) {
    return refuse(problems, kind === 'region' ? 'region' : 'category', 'No service matches this choice.');
  }
  return place;
}

function refuse(problems: FieldProblem[], field: string, message: string): undefined {
  problems.push({ field, message });
  return undefined;
}

/** The address a subscribe form names, trimmed; a refusal when it is none. */
export function readSubscriberEmail(values: ScopeFormValues): { email: string; problem?: undefined } | { email: undefined; problem: FieldProblem } {
  const email = text(values, 'email').trim();
  if (isContactEmail(email)) return { email };
  return { email: undefined, problem: { field: 'email', message: 'Enter an email address, such as name@example.com.' } };
}
