/** Impact ladder shared by every API and page (reference v1 §1.3). */
export const IMPACTS = [
  { level: 0, key: 'maintenance', label: 'Scheduled maintenance' },
  { level: 1, key: 'minor', label: 'Minor incident (i.e. performance impact)' },
  { level: 2, key: 'major', label: 'Major incident' },
  { level: 3, key: 'outage', label: 'Service outage' },
] as const;

export type ImpactLevel = (typeof IMPACTS)[number]['level'];
export type ImpactKey = (typeof IMPACTS)[number]['key'];
/** The impacts an incident can have; maintenance and info events carry 0. */
export type IncidentImpact = 1 | 2 | 3;

export function impactKey(level: ImpactLevel): ImpactKey {
  return IMPACTS[level].key;
}

export function isIncidentImpact(value: number): value is IncidentImpact {
  return value === 1 || value === 2 || value === 3;
}

/**
 * Reads the `impact` a monitoring client sent: an integer 1–3, the same as a string ("2"),
 * or a key ("minor", as the seed's own curl example sends). Returns undefined for anything
 * monitoring may not open, maintenance (0) included (spec §2.4).
 */
export function parseIncidentImpact(value: number | string): IncidentImpact | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    const named = IMPACTS.find((impact) => impact.key === text);
    if (named) return isIncidentImpact(named.level) ? named.level : undefined;
    if (!/^-?\d+$/.test(text)) return undefined;
    value = Number(text);
  }
  return Number.isInteger(value) && isIncidentImpact(value) ? value : undefined;
}
