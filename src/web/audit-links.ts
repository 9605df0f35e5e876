import { parseId } from '../domain/ids.js';
import type { AuditCursor } from '../domain/audit.js';

/** The filter fields of `/audit`, in the order the form shows them; the page links carry them on. */
export const AUDIT_FILTER_FIELDS = ['actor', 'action', 'entity', 'entity_id', 'from', 'to'] as const;

/** The filter as asked: query text, empty fields left out. */
export type AuditFilterValues = Partial<Record<(typeof AUDIT_FILTER_FIELDS)[number], string>>;

/** "1767225600000.42": a place in the log as the page links write it (time, then id). */
export const CURSOR_PATTERN = /^(\d{1,15})\.(\d{1,10})$/;

export function cursorText(cursor: AuditCursor): string {
  return `${cursor.at}.${cursor.id}`;
}

/** The cursor a link wrote; undefined for any other text (an id beyond every entry's included). */
export function parseCursor(text: string): AuditCursor | undefined {
  const [, at, id = ''] = CURSOR_PATTERN.exec(text) ?? [];
  const entryId = parseId(id);
  return at === undefined || entryId === undefined ? undefined : { at: Number(at), id: entryId };
}

/** "/audit?actor=api%3A&before=…": the same filter, at another page. */
export function auditHref(values: AuditFilterValues, side?: { before: AuditCursor } | { after: AuditCursor }): string {
  const params = new URLSearchParams();
  for (const field of AUDIT_FILTER_FIELDS) {
    const value = values[field];
    if (value) params.set(field, value);
  }
  if (side && 'before' in side) params.set('before', cursorText(side.before));
  if (side && 'after' in side) params.set('after', cursorText(side.after));
  const query = params.toString();
  return query ? `/audit?${query}` : '/audit';
}
