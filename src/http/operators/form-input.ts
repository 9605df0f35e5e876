import { parseId } from '../../domain/ids.js';
import { IMPACTS, type ImpactLevel } from '../../domain/impact.js';
import type { FieldProblem } from '../../domain/rules/operator-forms.js';
import { isTimeZone, zonedToUtc } from '../../domain/zoned-time.js';
import type { FormState } from '../../web/form-parts.js';

/** Longest value a form field keeps; longer ones are cut (the rules then refuse them by length). */
const MAX_FIELD_LENGTH = 10_000;

/**
 * A posted form as text: strings, and lists for repeated names (checkboxes). Anything else a
 * hand-made request sends is dropped, so the rules only ever see text.
 */
export function formValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  if (typeof body !== 'object' || body === null) return values;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') values[name] = value.slice(0, MAX_FIELD_LENGTH);
    else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string').map((item) => item.slice(0, MAX_FIELD_LENGTH));
  }
  return values;
}

/** Reads a form's typed values, collecting what cannot be read as problems of their fields. */
export class FormReader {
  readonly problems: FieldProblem[] = [];

  constructor(readonly values: Record<string, string | string[]>) {}

  text(name: string): string {
    const value = this.values[name];
    return typeof value === 'string' ? value : (value?.[0] ?? '');
  }

  list(name: string): string[] {
    const value = this.values[name];
    return value === undefined ? [] : [value].flat();
  }

  /** Ids chosen with checkboxes, each once; one that is no id is the field's problem. */
  ids(name: string): number[] {
    const ids = this.list(name).map(parseId);
    if (ids.includes(undefined)) this.problems.push({ field: name, message: 'Not a valid choice.' });
    return [...new Set(ids.filter((id) => id !== undefined))];
  }

  /** The zone the form's dates are in (UTC when the form names none). */
  zone(): string {
    const zone = this.text('timezone') || 'UTC';
    if (isTimeZone(zone)) return zone;
    this.problems.push({ field: 'timezone', message: 'Not a valid choice.' });
    return 'UTC';
  }

  /** A `datetime-local` value in the form's zone; empty is undefined. */
  date(name: string, zone: string): number | undefined {
    const text = this.text(name).trim();
    if (text === '') return undefined;
    const at = zonedToUtc(text, zone);
    if (at === undefined) this.problems.push({ field: name, message: 'Not a valid datetime value.' });
    return at;
  }

  /** The version of the event a form was made from (a whole number from 1); empty is undefined. */
  version(name: string): number | undefined {
    const text = this.text(name).trim();
    if (text === '') return undefined;
    if (/^[1-9][0-9]{0,14}$/.test(text)) return Number(text);
    this.problems.push({ field: name, message: 'Not a valid version.' });
    return undefined;
  }

  impact(name: string, fallback: ImpactLevel): ImpactLevel {
    const key = this.text(name);
    if (key === '') return fallback;
    const impact = IMPACTS.find((candidate) => candidate.key === key);
    if (!impact) this.problems.push({ field: name, message: 'Not a valid choice.' });
    return impact?.level ?? fallback;
  }

  /** The form as it goes back to the page after a refusal, with these problems and the rules'. */
  refused(more: readonly FieldProblem[] = []): FormState {
    return { values: this.values, problems: [...this.problems, ...more] };
  }
}
