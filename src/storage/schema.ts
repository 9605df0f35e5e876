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
  /** 1 at first, one more with every change (the client's optimistic lock) */
  version: Generated<number>;
  /** the actor id of the person who opened it; null for monitoring's */
  creator: string | null;
  contact_email: string | null;
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

/** A front-end login at the provider: `id` is what the browser's cookie holds, `state` what travels through the provider. */
export interface AuthLoginTable {
  id: string;
  state: string;
  nonce: string;
  /** our PKCE verifier at the provider */
  code_verifier: string;
  /** an allow-listed callback (origin and path) */
  callback_url: string;
  /** the front end's challenge, under which the tokens are handed off */
  code_challenge: string;
  created_at: number;
  expires_at: number;
}

/** A login's tokens waiting for the client that came back from the provider. */
export interface AuthHandoffTable {
  challenge: string;
  tokens: string;
  client_address: string;
  /** the callback's origin: the page that may claim them */
  origin: string;
  expires_at: number;
}

/** A local operator account; the hash string carries its salt and scrypt cost. */
export interface OperatorTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  disabled: Generated<number>;
  /** creator, operator or admin */
  role: Generated<string>;
  created_at: number;
  updated_at: number;
}

/** An operator's session; the session cookie names it by `id`. */
export interface OperatorSessionTable {
  id: string;
  /** `local:<username>` or `oidc:<sub>` */
  subject: string;
  name: string;
  /** the role decided at login */
  role: Generated<string>;
  /** single sign-on: the role settings the role was decided under (a change of them ends the session) */
  role_basis: string | null;
  created_at: number;
  expires_at: number;
}

/** One failed operator login for one key: `user:<name>`, `ip:<address>` or `pair:<address>|<name>`. */
export interface LoginFailureTable {
  key: string;
  failed_at: number;
  /** the try that claimed the row; null: recorded before tries were claimed */
  attempt: string | null;
}

/** Someone who hears of changes by email (issue 18): the address, what they want, and whether they confirmed it. */
export interface SubscriberTable {
  id: Generated<number>;
  email: string;
  /** a NotificationScope as JSON */
  scope: string;
  /** null until the address is confirmed: nothing but the confirmation goes to it before */
  confirmed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A system that hears of changes by HTTP (issue 18). */
export interface WebhookTable {
  id: Generated<number>;
  url: string;
  /** json, slack, teams or discord */
  format: string;
  /** the HMAC key of the signature header */
  secret: string;
  scope: string;
  enabled: Generated<number>;
  disabled_reason: string | null;
  /** since when every delivery has failed (null: the last one arrived) */
  failing_since: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** What an event was last announced as (domain/notifications/announcements.ts). */
export interface AnnouncementTable {
  event_id: number;
  /** an Announced as JSON */
  announced: string;
  /** when its next reminder falls due, if any */
  next_reminder_at: number | null;
}

/** One row: the state version up to which changes have been turned into deliveries. */
export interface NotificationCursorTable {
  id: number;
  version: number;
}

/** A message on its way to one target: an email subscriber or a webhook. */
export interface DeliveryTable {
  id: Generated<number>;
  /** email or webhook */
  channel: string;
  target_id: number;
  /** event (news about one), confirm (a subscriber's confirmation mail), test (a webhook's test) */
  kind: string;
  event_id: number | null;
  /** the AnnouncedChange list as JSON, appended to while the delivery waits */
  changes: string;
  /** pending, sending, sent or failed */
  state: string;
  due_at: number;
  attempts: Generated<number>;
  first_attempt_at: number | null;
  /** a sending delivery whose claim ran out (its instance died) is pending again */
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** One subscription request for a key (an address, a client address), for the rate limits. */
export interface NotificationThrottleTable {
  key: string;
  at: number;
}

export interface Database {
  subscriber: SubscriberTable;
  webhook: WebhookTable;
  announcement: AnnouncementTable;
  notification_cursor: NotificationCursorTable;
  delivery: DeliveryTable;
  notification_throttle: NotificationThrottleTable;
  auth_login: AuthLoginTable;
  auth_handoff: AuthHandoffTable;
  login_failure: LoginFailureTable;
  operator: OperatorTable;
  operator_session: OperatorSessionTable;
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
