/**
 * The audit log's vocabulary: who changed what, and how a reader pages through it. Storage writes
 * and reads it, the operator pages show it.
 */

/** One change, as the audit log keeps it: written in the transaction of the change itself. */
export interface AuditEntry {
  at: number;
  /** who: `api:<token subject>`, `cli:<user>`, an operator's login, or `system` */
  actor: string;
  /** what, as `<entity>.<verb>`: component.create, event.open, event.update … */
  action: string;
  entity: 'component' | 'event' | 'operator' | 'subscriber' | 'webhook';
  entityId: number;
  before: unknown;
  after: unknown;
}

/** Entries per page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

export const AUDIT_ENTITIES = ['component', 'event', 'operator', 'subscriber', 'webhook'] as const satisfies readonly AuditEntry['entity'][];

/** Every field narrows the list; an absent one does not. */
export interface AuditFilter {
  /** who, as written (`api:probe`), or every actor that starts with `prefix` (`api:`) */
  actor?: { exact: string } | { prefix: string };
  action?: string;
  entity?: AuditEntry['entity'];
  entityId?: number;
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  until?: number;
}

/** A place in the log: entries are ordered by time, and by id among entries of the same millisecond. */
export interface AuditCursor {
  at: number;
  id: number;
}

/** Which page: the newest, the one just older than a cursor, or the one just newer. */
export type AuditPosition = { before: AuditCursor } | { after: AuditCursor } | 'newest';

export interface AuditLogEntry extends AuditEntry {
  id: number;
}

export interface AuditPage {
  /** newest first */
  entries: AuditLogEntry[];
  /** where the pages next to this one start; absent at either end */
  newer?: AuditCursor;
  older?: AuditCursor;
}
