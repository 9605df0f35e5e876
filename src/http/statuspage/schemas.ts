import { Type, type TSchema } from 'typebox';

/** Atlassian Statuspage's public answers (its Status API), in its field order: what its clients parse. */
const Time = Type.String({ format: 'date-time' });
const literals = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));

const Page = Type.Object({
  id: Type.String({ description: 'the first 12 hex digits of the SHA-256 of the dashboard\'s address' }),
  name: Type.String(),
  url: Type.String(),
  time_zone: Type.String(),
  updated_at: Time,
});

const Status = Type.Object({
  indicator: literals(['none', 'minor', 'major', 'critical']),
  description: Type.String(),
});

const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

const Component = Type.Object({
  id: Type.String({ description: 'our component id; a region\'s group is `region-<name>`' }),
  name: Type.String(),
  status: literals(COMPONENT_STATUSES),
  created_at: Time,
  updated_at: Time,
  position: Type.Integer({ minimum: 1 }),
  description: Type.Null(),
  showcase: Type.Boolean(),
  start_date: Type.Null(),
  group_id: Type.Union([Type.String(), Type.Null()], { description: 'the region\'s group' }),
  page_id: Type.String(),
  group: Type.Boolean({ description: 'true for a region' }),
  only_show_if_degraded: Type.Boolean(),
  components: Type.Optional(Type.Array(Type.String(), { description: 'a region\'s components' })),
});

const NullableTime = Type.Union([Time, Type.Null()]);

function eventSchema(statuses: readonly string[], extra: Record<string, TSchema> = {}) {
  return Type.Object({
    id: Type.String(),
    name: Type.String(),
    status: literals(statuses),
    created_at: Time,
    updated_at: Time,
    monitoring_at: NullableTime,
    resolved_at: NullableTime,
    impact: literals(['none', 'minor', 'major', 'critical', 'maintenance']),
    shortlink: Type.String({ description: 'the event\'s page here' }),
    started_at: Time,
    page_id: Type.String(),
    incident_updates: Type.Array(
      Type.Object({
        id: Type.String(),
        status: literals(statuses),
        body: Type.String(),
        incident_id: Type.String(),
        created_at: Time,
        updated_at: Time,
        display_at: Time,
        affected_components: Type.Null(),
        deliver_notifications: Type.Boolean(),
        custom_tweet: Type.Null(),
        tweet_id: Type.Null(),
      }),
      { description: 'newest first' },
    ),
    components: Type.Array(Component),
    ...extra,
  });
}

const Incident = eventSchema(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
const Maintenance = eventSchema(['scheduled', 'in_progress', 'verifying', 'completed'], { scheduled_for: Time, scheduled_until: NullableTime });

export const StatuspageSummary = Type.Object({
  page: Page,
  components: Type.Array(Component),
  incidents: Type.Array(Incident, { description: 'unresolved, newest first' }),
  scheduled_maintenances: Type.Array(Maintenance, { description: 'in progress (newest first), then upcoming (soonest first)' }),
  status: Status,
});
export const StatuspageStatus = Type.Object({ page: Page, status: Status });
export const StatuspageComponents = Type.Object({ page: Page, components: Type.Array(Component) });
export const StatuspageIncidents = Type.Object({ page: Page, incidents: Type.Array(Incident) });
export const StatuspageMaintenances = Type.Object({ page: Page, scheduled_maintenances: Type.Array(Maintenance) });
