import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/event.js';

/**
 * The answers of API v2 (reference v3 §3), properties in the order present.ts writes them: the
 * serializer writes them in schema order, so the bytes stay those the Go back end's clients read.
 */
const Rfc3339 = Type.String({ format: 'date-time' });

/** The React front end allows 1,500 characters (issue 17); so do API v2 and the forms. */
export const DESCRIPTION_MAX_LENGTH = 1500;

const STAFF_ONLY = 'only in answers to callers with a role (creator, operator, admin)';

export const EventUpdateV2 = Type.Object({
  id: Type.Integer({ description: 'position in the timeline, oldest first, from 0' }),
  status: Type.String(),
  text: Type.String(),
  timestamp: Rfc3339,
});

export const EventV2 = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  impact: Type.Integer({ minimum: 0, maximum: 3 }),
  components: Type.Array(Type.Integer(), { description: 'component ids, in the order they joined' }),
  start_date: Rfc3339,
  end_date: Type.Optional(Rfc3339),
  system: Type.Boolean({ description: 'true while monitoring owns the event' }),
  type: Type.Union([Type.Literal(EVENT_TYPES[0]), Type.Literal(EVENT_TYPES[1]), Type.Literal(EVENT_TYPES[2])]),
  updates: Type.Array(EventUpdateV2, { description: 'in the order they were written' }),
  status: Type.String({
    description: 'the current status, derived for maintenances and notices from their window; a proposed maintenance is pending_review until an operator approves it (reviewed), then planned',
  }),
  creator: Type.Optional(Type.String({ description: `who opened it (the token's user, the CLI's subject, local:<username>); ${STAFF_ONLY}` })),
  contact_email: Type.Optional(Type.String({ description: `a maintenance's contact; ${STAFF_ONLY}` })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: `grows with every change; send it back with a PATCH to be refused (409) if someone changed the event since; ${STAFF_ONLY}` })),
});

export const EventListV2 = Type.Object({
  data: Type.Array(EventV2, { description: 'newest first' }),
  pagination: Type.Optional(
    Type.Object({ pageIndex: Type.Integer(), recordsPerPage: Type.Integer(), totalRecords: Type.Integer(), totalPages: Type.Integer() }, { description: 'absent when nothing matches' }),
  ),
});

const AttributeV2 = Type.Object({ name: Type.String(), value: Type.String() });

export const ComponentV2 = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  attributes: Type.Optional(Type.Array(AttributeV2)),
});

export const NewComponentV2 = Type.Object({ id: Type.Integer(), attributes: Type.Array(AttributeV2), name: Type.String() });

/** Every API v2 refusal (reference v3 §3.11): one message. */
export const ErrMsgV2 = Type.Object({ errMsg: Type.String() });

/** The refusals of the routes people write through (issue 17), documented with what each means. */
export const WRITE_REFUSALS = {
  400: { ...ErrMsgV2, description: 'the body breaks a rule; the message names the property once' },
  401: { ...ErrMsgV2, description: 'no valid token of someone with a role (`not authenticated`)' },
  403: { ...ErrMsgV2, description: 'not this role\'s to do (`access is denied: …`): creators only propose maintenances and change their own while pending review; only operators and admins approve' },
  404: { ...ErrMsgV2, description: 'no such event' },
  409: {
    ...ErrMsgV2,
    description: 'the event moved on: a `version` older than the event\'s (the message names the current one), an approval of a maintenance no longer pending review, or a proposal moved on before its approval',
  },
} as const;
