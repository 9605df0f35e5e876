import type { Generated, Insertable, Selectable } from 'kysely';

/** Columns are snake_case; timestamps are epoch milliseconds (UTC); booleans are 0/1. */
export interface ComponentTable {
  id: Generated<number>;
  name: string;
  revision: number;
  created_at: number;
}

export interface ComponentAttributeTable {
  component_id: number;
  name: string;
  value: string;
  position: number;
}

export interface EventTable {
  id: Generated<number>;
  type: string;
  title: string;
  description: string | null;
  impact: number;
  start_at: number;
  end_at: number | null;
  status: string | null;
  system: number;
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface EventComponentTable {
  event_id: number;
  component_id: number;
  position: number;
}

export interface EventUpdateTable {
  id: Generated<number>;
  event_id: number;
  status: string;
  text: string;
  at: number;
  author: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: number;
  before: string | null;
  after: string | null;
}

/** One row: the version every write bumps, so each instance knows when its read cache is stale. */
export interface StateTable {
  id: number;
  version: number;
  /** epoch ms of the latest change that took its time under the lock */
  at: number;
}

export interface AuthHandoffTable {
  challenge: string;
  tokens: string;
  expires_at: number;
}

/** A local operator account; the hash string carries its salt and scrypt cost. */
export interface OperatorTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  disabled: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** One failed operator login for one key: `user:<name>` or `ip:<address>`. */
export interface LoginFailureTable {
  key: string;
  failed_at: number;
  /** the try that claimed the row; null: recorded before tries were claimed */
  attempt: string | null;
}

export interface Database {
  auth_handoff: AuthHandoffTable;
  login_failure: LoginFailureTable;
  operator: OperatorTable;
  component: ComponentTable;
  component_attribute: ComponentAttributeTable;
  event: EventTable;
  event_component: EventComponentTable;
  event_update: EventUpdateTable;
  audit_log: AuditLogTable;
  state: StateTable;
}

export type EventRow = Selectable<EventTable>;
export type NewEventRow = Insertable<EventTable>;
export type EventUpdateRow = Selectable<EventUpdateTable>;
