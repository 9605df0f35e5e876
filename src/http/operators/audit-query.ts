import type { FastifySchemaValidationError } from 'fastify';
import { Type, type Static } from 'typebox';
import { MAX_ID, parseId } from '../../domain/ids.js';
import { parseInstant } from '../../domain/instant.js';
import { AUDIT_ENTITIES, type AuditCursor, type AuditFilter, type AuditPosition } from '../../domain/audit.js';
import { AUDIT_FILTER_FIELDS, CURSOR_PATTERN, parseCursor, type AuditFilterValues } from '../../web/audit-links.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A whole-text pattern without its anchors, to combine with others. */
const inner = (pattern: RegExp) => pattern.source.slice(1, -1);
// The filter form sends every field, empty when unused: empty means "any".
const optional = (pattern: string) => Type.Optional(Type.String({ pattern: `^(${pattern})?$` }));

export const AuditQuerySchema = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 200 })),
  action: optional('[a-z][a-z.-]{0,63}'),
  entity: optional(AUDIT_ENTITIES.join('|')),
  entity_id: optional('[0-9]{1,10}'),
  // The one date parser reads these (parseAuditQuery), and its refusal says what they take.
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  before: optional(inner(CURSOR_PATTERN)),
  after: optional(inner(CURSOR_PATTERN)),
});

export type AuditQuery = Static<typeof AuditQuerySchema>;

const DATE_RULE = 'a UTC day (2026-11-28) or an RFC 3339 date and time (2026-11-28T09:30:00Z)';
const FIELD_RULES: Record<string, string> = {
  actor: 'actor: at most 200 characters',
  action: 'action: a name like event.open',
  entity: `entity: one of ${AUDIT_ENTITIES.join(', ')}`,
  entity_id: 'entity_id: a whole number',
  from: `from: ${DATE_RULE}`,
  to: `to: ${DATE_RULE}`,
  before: 'before: the position from a page link',
  after: 'after: the position from a page link',
};

/** A query the audit page cannot answer; the message says which field and what it takes. */
export class AuditQueryError extends Error {}

/** The schema's refusal in words: one rule per field that broke it. */
export function describeQueryErrors(errors: readonly FastifySchemaValidationError[]): string {
  const rules = new Set(
    errors.map((error) => {
      const field = error.instancePath.split('/')[1] ?? '';
      // A field given twice arrives as a list.
      return error.keyword === 'type' ? `${field}: once at most` : (FIELD_RULES[field] ?? `${field}: not understood`);
    }),
  );
  return `Invalid filter. ${[...rules].join('; ')}.`;
}

export interface ParsedAuditQuery {
  filter: AuditFilter;
  position: AuditPosition;
  /** the filter as asked, empty fields dropped, to fill the form and the page links */
  values: AuditFilterValues;
}

/** Reads a query the schema let through; what the schema cannot see (dates, ranges, pairs) is checked here. */
export function parseAuditQuery(query: AuditQuery): ParsedAuditQuery {
  const values: AuditFilterValues = {};
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = query[field]?.trim();
    if (value) values[field] = value;
  }
  const filter: AuditFilter = {};
  if (values.actor) filter.actor = values.actor.endsWith(':') ? { prefix: values.actor } : { exact: values.actor };
  if (values.action) filter.action = values.action;
  if (values.entity) filter.entity = values.entity as AuditFilter['entity'];
  if (values.entity_id) {
    if (!values.entity) throw new AuditQueryError('Invalid filter. entity_id: needs an entity (component, event or operator).');
    filter.entityId = parseId(values.entity_id);
    if (filter.entityId === undefined) throw new AuditQueryError(`Invalid filter. entity_id: a whole number from 1 to ${MAX_ID}.`);
  }
  if (values.from) filter.from = startOf(values.from, 'from');
  if (values.to) filter.until = endOf(values.to);
  if (filter.from !== undefined && filter.until !== undefined && filter.until <= filter.from) {
    throw new AuditQueryError('Invalid filter. to: must not be before from.');
  }
  if (query.before && query.after) throw new AuditQueryError('Invalid filter. before and after: one or the other.');
  const position: AuditPosition = query.before ? { before: cursorOf('before', query.before) } : query.after ? { after: cursorOf('after', query.after) } : 'newest';
  return { filter, position, values };
}

function cursorOf(field: 'before' | 'after', text: string): AuditCursor {
  const cursor = parseCursor(text);
  if (!cursor) throw new AuditQueryError(`Invalid filter. ${FIELD_RULES[field]}.`);
  return cursor;
}

/** The first millisecond a `from` value names: a day's midnight (UTC), or the instant itself. */
function startOf(value: string, field: 'from' | 'to'): number {
  const at = parseInstant(DAY.test(value) ? `${value}T00:00:00Z` : value);
  if (at === undefined) throw new AuditQueryError(`Invalid filter. ${field}: ${DATE_RULE}; ${value} is no such moment.`);
  return at;
}

/** The first millisecond after a `to` value: a whole day is included, an instant up to itself. */
function endOf(value: string): number {
  return startOf(value, 'to') + (DAY.test(value) ? 24 * 60 * 60_000 : 1);
}
