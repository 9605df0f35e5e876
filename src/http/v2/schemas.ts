import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/event.js';

/**
 * The answers of API v2 (reference v3 §3), properties in the order present.ts writes them: the
 * serializer writes them in schema order, so the bytes stay those the Go back end's clients read.
 */
const Rfc3339 = Type.String({ format: 'date-time' });

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
  status: Type.String({ description: 'the current status, derived for maintenances and notices from their window' }),
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
