import { componentLabel, componentLabelV2, type Component, type ComponentRef } from '../component.js';
import { isActive, type EventRef, type EventType, type StatusEvent } from '../event.js';
import { shieldsComponents } from '../event-status.js';
import type { ImpactLevel, IncidentImpact } from '../impact.js';
import type { Message } from '../texts.js';

/** What the rules need to know of an event: the snapshot is every event that may be active. */
export interface EventView {
  id: number;
  type: EventType;
  title: string;
  impact: ImpactLevel;
  system: boolean;
  startAt: number;
  endAt: number | null;
  componentIds: readonly number[];
  /** the status people or the lifecycle set; v2 notes carry it */
  status?: string | null;
}

/** A report as monitoring sends it, before its component is looked up. */
export interface StatusReportInput {
  component: ComponentRef;
  impact: IncidentImpact;
  title?: string | undefined;
  description?: string | undefined;
  startAt?: number | undefined;
  /** v1 unless said otherwise */
  policy?: ReportPolicy;
}

/**
 * What a report came to, for whoever answers it: `E` is the event that now holds the component
 * (or shields it), as far as the answering layer knows it (storage: its id; the service: the
 * event itself, read back from the read model).
 */
export type StatusReportOutcome<E extends { id: number }> =
  | { outcome: 'unknown-component' }
  | { outcome: 'conflict'; eventId: number; title: string; component: string }
  | { outcome: 'shielded'; event: E }
  | { outcome: 'changed'; event: E; change: ReportChange };

/**
 * What a report that changed something did to its component (the branches of decideStatusReport):
 * `opened` a new incident for it; `joined` the open incident of its impact; `escalated` the
 * incident it was alone in (its impact rose); `moved` it out of a shared incident, or out of one
 * of lower impact, into the incident of its new impact (opened if none was open).
 */
export type ReportChange = 'opened' | 'joined' | 'escalated' | 'moved';

/** A report with its component found: what the rules decide on. */
export interface StatusReport {
  component: Component;
  impact: IncidentImpact;
  /** title of the incident, used only when one is opened */
  title?: string | undefined;
  /** v2 only: description and start of an incident this report opens */
  description?: string | undefined;
  startAt?: number | undefined;
}

/**
 * Where API v1 and API v2 monitoring differ (reference v3 §2, §3.4.2); the rules are the same.
 * v1: an incident people run stops monitoring only up to its own impact, and the timeline reads as
 * the Python dashboard wrote it. v2: an incident people run owns its components whatever the
 * impact, new incidents start with a `detected` entry, and the timeline reads as the Go back end.
 */
export interface ReportPolicy {
  userIncidentsBlockHigherImpact: boolean;
  texts: 'v1' | 'v2';
}

export const V1_POLICY: ReportPolicy = { userIncidentsBlockHigherImpact: false, texts: 'v1' };
export const V2_POLICY: ReportPolicy = { userIncidentsBlockHigherImpact: true, texts: 'v2' };

export const DEFAULT_SYSTEM_DESCRIPTION = 'System-wide incident affecting multiple components. Created automatically.';

export type Change =
  | {
      op: 'open';
      title: string;
      impact: IncidentImpact;
      /** v2: when it started (default now), its description, and a first `detected` entry */
      startAt?: number;
      description?: string;
      detected?: true;
    }
  | { op: 'link'; event: EventRef; componentId: number }
  | { op: 'unlink'; eventId: number; componentId: number }
  | { op: 'raise-impact'; eventId: number; impact: IncidentImpact }
  | { op: 'close'; eventId: number }
  /** an event people open (API v2, operators), with its first timeline entry */
  | { op: 'create'; event: NewEventSpec }
  /** a timeline entry; its status is SYSTEM unless given */
  | { op: 'note'; event: EventRef; message: Message; status?: string };

/** A new event as it is written: the event's own fields, its status and its first entry. */
export type NewEventSpec = Pick<StatusEvent, 'type' | 'title' | 'description' | 'impact' | 'startAt' | 'endAt' | 'system'> &
  Partial<Pick<StatusEvent, 'creator' | 'contactEmail'>> & {
  status: string;
  firstEntry?: { status: string; text: string };
};

export type StatusReportDecision =
  /** an active maintenance covers the component: nothing changes, the maintenance is the answer */
  | { outcome: 'shielded'; eventId: number }
  /** an incident already covers the component at this impact or higher */
  | { outcome: 'conflict'; eventId: number; title: string; component: string }
  | { outcome: 'changed'; result: EventRef; changes: Change[] };

export const DEFAULT_INCIDENT_TITLE = 'Incident';

/** What the rules get of an input, once its component is known. */
export function reportOf(input: StatusReportInput, component: Component): StatusReport {
  return { component, impact: input.impact, title: input.title, description: input.description, startAt: input.startAt };
}

/**
 * Decides what a monitoring report changes (reference v1 §2.4.1 and §2.5, with spec §2's
 * decisions). Pure: `events` is a snapshot taken under the write lock, `now` the clock.
 */
export function decideStatusReport(
  events: readonly EventView[],
  report: StatusReport,
  now: number,
  policy: ReportPolicy = V1_POLICY,
): StatusReportDecision {
  const active = events.filter((event) => isActive(event, now)).sort((a, b) => a.id - b.id);
  const componentId = report.component.id;
  const v2 = policy.texts === 'v2';
  const label = v2 ? componentLabelV2(report.component) : componentLabel(report.component);
  const covers = (event: EventView) => event.componentIds.includes(componentId);

  // Spec §2.6: every active maintenance shields its components, not only the first one; a
  // cancelled one, or one nobody approved yet, shields nothing.
  const maintenance = active.find((event) => shieldsComponents(event) && covers(event));
  if (maintenance) return { outcome: 'shielded', eventId: maintenance.id };

  const incidents = active.filter((event) => event.type === 'incident');
  // Incidents people run are never touched by monitoring; under v1 a higher impact goes past them.
  const userIncident = incidents.find(
    (event) => !event.system && covers(event) && (policy.userIncidentsBlockHigherImpact || report.impact <= event.impact),
  );
  if (userIncident) return conflict(userIncident, label);

  const systemIncidents = incidents.filter((event) => event.system);
  const current = systemIncidents.find(covers);
  const sameImpact = systemIncidents.find((event) => event.impact === report.impact);
  const title = report.title ?? DEFAULT_INCIDENT_TITLE;
  const open = (startAt: number): Change => ({
    op: 'open',
    title,
    impact: report.impact,
    ...(v2 ? { startAt, description: report.description ?? DEFAULT_SYSTEM_DESCRIPTION, detected: true as const } : {}),
  });

  if (!current) {
    if (!sameImpact) {
      return { outcome: 'changed', result: 'new', changes: [open(report.startAt ?? now), { op: 'link', event: 'new', componentId }] };
    }
    const target = { id: sameImpact.id };
    return {
      outcome: 'changed',
      result: target,
      changes: [
        { op: 'link', event: target, componentId },
        v2
          ? { op: 'note', event: target, message: { kind: 'added-by-system', component: label }, status: sameImpact.status ?? 'detected' }
          : { op: 'note', event: target, message: { kind: 'added', component: label, toTitle: sameImpact.title } },
      ],
    };
  }

  // Monitoring never lowers an impact: recovery is for people to declare.
  if (report.impact <= current.impact) return conflict(current, label);

  const source = { id: current.id };
  const alone = current.componentIds.length === 1;
  if (alone && !sameImpact) {
    // H-B: the incident is only this component, so the incident itself gets worse.
    return {
      outcome: 'changed',
      result: source,
      changes: [
        {
          op: 'note',
          event: source,
          message: { kind: 'impact-changed', from: current.impact as IncidentImpact, to: report.impact, ...(v2 ? { numeric: true as const } : {}) },
        },
        { op: 'raise-impact', eventId: current.id, impact: report.impact },
      ],
    };
  }

  // H-A, H-C, H-D: the component moves to the incident of its new impact, opened if need be.
  const destination: EventRef = sameImpact ? { id: sameImpact.id } : 'new';
  const destinationTitle = sameImpact ? sameImpact.title : title;
  const changes: Change[] = sameImpact ? [] : [open(now)];
  const movedTo: Message = { kind: 'moved-to', component: label, to: { ref: destination, title: destinationTitle } };
  changes.push(
    { op: 'link', event: destination, componentId },
    {
      op: 'note',
      event: destination,
      message: { kind: 'moved-from', component: label, from: { ref: source, title: current.title } },
    },
  );
  if (!alone) {
    changes.push({ op: 'note', event: source, message: movedTo }, { op: 'unlink', eventId: current.id, componentId });
  } else if (v2) {
    // H-A: the emptied incident closes; the component stays linked to it as its history.
    changes.push({ op: 'note', event: source, message: { ...movedTo, closes: true }, status: 'resolved' }, { op: 'close', eventId: current.id });
  } else {
    changes.push(
      { op: 'note', event: source, message: movedTo },
      { op: 'close', eventId: current.id },
      { op: 'note', event: source, message: { kind: 'closed-by-system' } },
    );
  }
  return { outcome: 'changed', result: destination, changes };
}

/** Which branch of decideStatusReport a change came from, read off the changes it returned. */
export function reportChangeOf(decision: Extract<StatusReportDecision, { outcome: 'changed' }>): ReportChange {
  const { changes } = decision;
  if (changes.some((change) => change.op === 'raise-impact')) return 'escalated';
  if (changes.some((change) => change.op === 'unlink' || change.op === 'close')) return 'moved';
  return decision.result === 'new' ? 'opened' : 'joined';
}

function conflict(event: EventView, component: string): StatusReportDecision {
  return { outcome: 'conflict', eventId: event.id, title: event.title, component };
}
