import type { Component } from './component.js';
import { SYSTEM_STATUS, type EventType, type EventUpdate, type StatusEvent } from './event.js';
import { currentStatus } from './event-status.js';
import { compareNewestFirst } from './event-filter.js';
import type { State, StatusOverview } from './status-overview.js';

/**
 * Atlassian Statuspage's public JSON (its "Status API": /api/v2/summary.json and its parts), built
 * from what the public pages show, in Statuspage's field names, order and vocabularies, so that
 * the tools written for it (its embeddable widget, aggregators, chat bots) read our page. The
 * mapping is docs/statuspage-json.md's.
 */

export type StatuspageComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type StatuspageIndicator = 'none' | 'minor' | 'major' | 'critical';
export type StatuspageImpact = StatuspageIndicator | 'maintenance';
export type StatuspageIncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
export type StatuspageMaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
type StatuspageEventStatus = StatuspageIncidentStatus | StatuspageMaintenanceStatus;

/** How many incidents and maintenances the history lists hold, as Statuspage's do. */
export const STATUSPAGE_RECENT = 50;

const COMPONENT_STATUSES: Record<State, StatuspageComponentStatus> = {
  operational: 'operational',
  maintenance: 'under_maintenance',
  minor: 'degraded_performance',
  major: 'partial_outage',
  outage: 'major_outage',
};

export function statuspageComponentStatus(state: State): StatuspageComponentStatus {
  return COMPONENT_STATUSES[state];
}

/**
 * The page's rollup, with Statuspage's own descriptions. Its documented indicators are four, so a
 * maintenance alone is `none` (Statuspage itself has been seen answering an undocumented
 * `maintenance` there, which some of its clients read as unknown); the description says it.
 */
export function statuspageStatus(state: State): { indicator: StatuspageIndicator; description: string } {
  switch (state) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'maintenance':
      return { indicator: 'none', description: 'Service Under Maintenance' };
    case 'minor':
      return { indicator: 'minor', description: 'Minor Service Outage' };
    case 'major':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'outage':
      return { indicator: 'critical', description: 'Major Service Outage' };
  }
}

/** Incidents 1, 2, 3 are minor, major, critical; maintenances `maintenance`; notices inform (`none`). */
export function statuspageImpact(event: Pick<StatusEvent, 'type' | 'impact'>): StatuspageImpact {
  if (event.type === 'maintenance') return 'maintenance';
  if (event.type === 'info') return 'none';
  return event.impact === 3 ? 'critical' : event.impact === 2 ? 'major' : 'minor';
}

/**
 * Our statuses as Statuspage's phases, per type. Entries missing here (an incident's `impact
 * changed` or `changed`, a maintenance's `modified`, the server's own notes) change no phase: they
 * keep the one in effect. Notices become incidents of impact `none`, `identified` while they run.
 */
const PHASES: Record<EventType, Readonly<Record<string, StatuspageEventStatus>>> = {
  incident: { detected: 'investigating', analyzing: 'investigating', analysing: 'investigating', reopened: 'investigating', fixing: 'identified', observing: 'monitoring', resolved: 'resolved' },
  maintenance: { planned: 'scheduled', reviewed: 'scheduled', 'in progress': 'in_progress', completed: 'completed', cancelled: 'completed' },
  info: { planned: 'identified', active: 'identified', completed: 'resolved', cancelled: 'resolved' },
};
const FIRST_PHASE: Record<EventType, StatuspageEventStatus> = { incident: 'investigating', maintenance: 'scheduled', info: 'identified' };

/** The phase one of our statuses names, or undefined when it names none (it keeps the one in effect). */
export function statuspagePhase(type: EventType, status: string | null): StatuspageEventStatus | undefined {
  return status === null ? undefined : PHASES[type][status];
}

/** Each timeline entry with the phase in effect once it was written, newest first. */
export function timelinePhases(event: Pick<StatusEvent, 'type' | 'updates'>): { update: EventUpdate; status: StatuspageEventStatus }[] {
  const oldestFirst = [...event.updates].sort((a, b) => a.at - b.at || a.id - b.id);
  let phase = FIRST_PHASE[event.type];
  const phases = oldestFirst.map((update) => {
    phase = statuspagePhase(event.type, update.status) ?? phase;
    return { update, status: phase };
  });
  return phases.reverse();
}

/**
 * An event's status now. An incident that has ended is resolved; one that runs is in the phase its
 * status names, else in the one its timeline left it in. Maintenances and notices follow their
 * window (currentStatus); a cancelled maintenance is `completed`, as Statuspage has no word for it.
 */
export function statuspageEventStatus(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt' | 'updates'>, now: number): StatuspageEventStatus {
  if (event.type !== 'incident') return statuspagePhase(event.type, currentStatus(event, now)) ?? FIRST_PHASE[event.type];
  if (event.endAt !== null && event.endAt <= now) return 'resolved';
  return statuspagePhase('incident', event.status) ?? timelinePhases(event)[0]?.status ?? FIRST_PHASE.incident;
}

/** What the public JSON is built from: the page's overview now, its public events, and where it lives. */
export interface StatuspageSource {
  overview: StatusOverview;
  /** every event the public sees (no proposals; approved maintenances without their review) */
  events: Iterable<StatusEvent>;
  /** when each component was created (epoch ms) */
  componentCreatedAt: (componentId: number) => number | undefined;
  now: number;
  page: { id: string; name: string; url: string };
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const finiteOr = (value: number | undefined, fallback: number) => (value !== undefined && Number.isFinite(value) ? value : fallback);

/** The group component of a region: an id no component id (digits) can be, the same for the same name. */
export function regionGroupId(region: string): string {
  return `region-${encodeURIComponent(region)}`;
}

/** The answers of every endpoint, derived together: the components, the rollup and the event lists. */
export function statuspageDocument(source: StatuspageSource) {
  const { overview, now } = source;
  const pageId = source.page.id;
  // One walk of the history, allocating nothing per event (it is rebuilt with every change of the
  // data): when each component last changed (one of its events started, ended or got an entry),
  // when anything did, and the most recent incidents and maintenances.
  const changedAt = new Map<number, number>();
  let pageUpdatedAt = 0;
  const recentIncidents: StatusEvent[] = [];
  const recentMaintenances: StatusEvent[] = [];
  for (const event of source.events) {
    const latest = lastChangeOf(event, now);
    pageUpdatedAt = Math.max(pageUpdatedAt, latest);
    for (const id of event.componentIds) changedAt.set(id, Math.max(changedAt.get(id) ?? Number.NEGATIVE_INFINITY, latest));
    // Notices count as incidents once they have started; one planned for later is no incident yet.
    if (event.type === 'maintenance') keepNewest(recentMaintenances, event);
    else if (event.type === 'incident' || event.startAt <= now) keepNewest(recentIncidents, event);
  }

  // A component loaded before its creation time was known has none: the epoch stands for "unknown".
  const createdAt = (component: Component) => finiteOr(source.componentCreatedAt(component.id), 0);
  const componentEntry = (component: Component, position: number, groupId: string | null) => {
    const created = createdAt(component);
    return {
      id: String(component.id),
      name: component.name,
      status: statuspageComponentStatus(overview.components.get(component.id)?.state ?? 'operational'),
      created_at: iso(created),
      updated_at: iso(Math.max(created, changedAt.get(component.id) ?? created)),
      position,
      description: null,
      showcase: true,
      start_date: null,
      group_id: groupId,
      page_id: pageId,
      group: false,
      only_show_if_degraded: false,
    };
  };
  type ComponentEntry = ReturnType<typeof componentEntry>;

  const groupEntry = (name: string, position: number, members: ComponentEntry[], state: State) => ({
    id: regionGroupId(name),
    name,
    status: statuspageComponentStatus(state),
    created_at: members.map((member) => member.created_at).reduce((a, b) => (a < b ? a : b)),
    updated_at: members.map((member) => member.updated_at).reduce((a, b) => (a > b ? a : b)),
    position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: members.map((member) => member.id),
  });
  const entries = new Map<number, ComponentEntry>();
  const components: (ComponentEntry | ReturnType<typeof groupEntry>)[] = [];
  overview.regions.forEach((region, index) => {
    const groupId = regionGroupId(region.name);
    const members = region.categories.flatMap((category) => category.components).map((status, at) => componentEntry(status.component, at + 1, groupId));
    if (members.length === 0) return;
    components.push(groupEntry(region.name, index + 1, members, region.state), ...members);
    for (const member of members) entries.set(Number(member.id), member);
  });
  // Components without a region and a category: not on the front page, yet they count for the rollup.
  let position = overview.regions.length;
  for (const status of [...overview.components.values()].sort((a, b) => a.component.id - b.component.id)) {
    if (entries.has(status.component.id)) continue;
    const entry = componentEntry(status.component, ++position, null);
    entries.set(status.component.id, entry);
    components.push(entry);
  }

  const eventEntry = (event: StatusEvent) => {
    const updates = timelinePhases(event);
    const created = Math.min(event.startAt, ...event.updates.map((update) => update.at));
    const status = statuspageEventStatus(event, now);
    const ended = event.endAt !== null && event.endAt <= now;
    const monitoring = updates.find((entry) => entry.status === 'monitoring' && event.type === 'incident');
    const id = String(event.id);
    return {
      id,
      name: event.title,
      status,
      created_at: iso(created),
      updated_at: iso(Math.max(created, lastChangeOf(event, now))),
      monitoring_at: monitoring ? iso(monitoring.update.at) : null,
      resolved_at: ended && event.endAt !== null ? iso(event.endAt) : null,
      impact: statuspageImpact(event),
      shortlink: `${source.page.url}/incidents/${event.id}`,
      started_at: iso(event.startAt),
      page_id: pageId,
      incident_updates: updates.map(({ update, status: phase }) => ({
        id: String(update.id),
        status: phase,
        body: update.text,
        incident_id: id,
        created_at: iso(update.at),
        updated_at: iso(update.at),
        display_at: iso(update.at),
        affected_components: null,
        // what our notifications announce: every entry but the server's own notes
        deliver_notifications: update.status !== SYSTEM_STATUS,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: event.componentIds.map((componentId) => entries.get(componentId)).filter((entry): entry is ComponentEntry => entry !== undefined),
    };
  };
  const maintenanceEntry = (event: StatusEvent) => ({
    ...eventEntry(event),
    scheduled_for: iso(event.startAt),
    scheduled_until: event.endAt === null ? null : iso(event.endAt),
  });

  // What is current comes from the overview: it holds every event that has not ended, and no cancelled one.
  const unresolved = [...overview.incidents, ...overview.maintenances.filter((event) => event.type === 'info')].sort(compareNewestFirst);
  const active = overview.maintenances.filter((event) => event.type === 'maintenance');
  const upcoming = overview.planned.filter((event) => event.type === 'maintenance');

  for (const component of entries.keys()) pageUpdatedAt = Math.max(pageUpdatedAt, finiteOr(source.componentCreatedAt(component), 0));
  return {
    page: { id: pageId, name: source.page.name, url: source.page.url, time_zone: 'Etc/UTC', updated_at: iso(pageUpdatedAt) },
    status: statuspageStatus(overview.state),
    components,
    unresolvedIncidents: unresolved.map(eventEntry),
    recentIncidents: recentIncidents.map(eventEntry),
    activeMaintenances: active.map(maintenanceEntry),
    upcomingMaintenances: upcoming.map(maintenanceEntry),
    recentMaintenances: recentMaintenances.map(maintenanceEntry),
  };
}

export type StatuspageDocument = ReturnType<typeof statuspageDocument>;

/** The latest moment, up to `now`, at which the event started, ended or got an entry (-Infinity: none yet). */
function lastChangeOf(event: StatusEvent, now: number): number {
  let latest = event.startAt <= now ? event.startAt : Number.NEGATIVE_INFINITY;
  if (event.endAt !== null && event.endAt <= now) latest = Math.max(latest, event.endAt);
  for (const update of event.updates) if (update.at <= now) latest = Math.max(latest, update.at);
  return latest;
}

/** Keeps `list` the STATUSPAGE_RECENT newest events seen (newest first), in one pass and without sorting the history. */
function keepNewest(list: StatusEvent[], event: StatusEvent): void {
  if (list.length === STATUSPAGE_RECENT && compareNewestFirst(event, list[list.length - 1] as StatusEvent) >= 0) return;
  let at = list.length;
  while (at > 0 && compareNewestFirst(event, list[at - 1] as StatusEvent) < 0) at--;
  list.splice(at, 0, event);
  if (list.length > STATUSPAGE_RECENT) list.pop();
}
