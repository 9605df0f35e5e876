import { Type } from 'typebox';

const ApiDate = Type.String({ description: 'UTC, "YYYY-MM-DD HH:MM"', examples: ['2024-05-01 13:07'] });

export const IncidentUpdateSchema = Type.Object({
  status: Type.String(),
  text: Type.String(),
  timestamp: ApiDate,
});

export const IncidentSchema = Type.Object(
  {
    end_date: Type.Union([ApiDate, Type.Null()]),
    id: Type.Integer(),
    impact: Type.Integer({ minimum: 0, maximum: 3 }),
    start_date: ApiDate,
    text: Type.String(),
    updates: Type.Array(IncidentUpdateSchema, { description: 'newest first' }),
  },
);

export const AttributeSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    value: Type.String({ maxLength: 255 }),
  },
  { additionalProperties: false },
);

export const ComponentSchema = Type.Object({
  attributes: Type.Array(AttributeSchema),
  id: Type.Integer(),
  incidents: Type.Array(IncidentSchema),
  name: Type.String(),
});

export const ComponentQuerySchema = Type.Object({
  name: Type.Optional(Type.String({ description: 'literal, case-sensitive prefix; exact name when looking up by attribute' })),
  attribute_name: Type.Optional(Type.String()),
  attribute_value: Type.Optional(Type.String()),
});

export const StatusReportSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, description: 'component name, exact' }),
    impact: Type.Union([Type.Integer(), Type.String()], {
      description: '1 minor, 2 major, 3 outage; the names are accepted too',
      examples: [2, 'minor'],
    }),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'title of an incident this report opens' })),
    attributes: Type.Optional(Type.Array(AttributeSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const ConflictSchema = Type.Object({
  details: Type.String(),
  existingIncidentId: Type.Integer(),
  existingIncidentTitle: Type.String(),
  message: Type.String(),
  targetComponent: Type.String(),
});

export const ErrorSchema = Type.Object({
  code: Type.Integer(),
  errors: Type.Optional(Type.Unknown()),
  message: Type.Optional(Type.String()),
  status: Type.String(),
});
