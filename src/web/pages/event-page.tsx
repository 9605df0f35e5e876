import type { Component } from '../../domain/component.js';
import { attributeValue } from '../../domain/component.js';
import { isActive, type EventUpdate, type StatusEvent } from '../../domain/event.js';
import { currentStatus, PENDING_REVIEW } from '../../domain/event-status.js';
import { IMPACTS } from '../../domain/impact.js';
import { stateOf, STATE_LABELS } from '../../domain/status-overview.js';
import { updateTextHtml } from '../../domain/texts.js';
import type { VNode } from 'preact';
import { Layout, type PageContext, type SessionView } from '../layout.js';
import { SubscribeLink } from '../subscribe-link.js';
import { authorLabel } from './event-controls.js';
import { eventKindLabel, Fact, Facts, Icon, regionsOf, servicePath, statusLabel, Time } from '../parts.js';

/**
 * What people with a role see on top of the public page: the update form, authors, tools per entry
 * and service, and for a maintenance its proposer and contact, and its review (issue 17).
 */
export interface OperatorTools {
  session: SessionView;
  form: VNode;
  /** facts readers never see: who opened it, whom to contact */
  facts: VNode | null;
  /** under the title: a proposal's review (pending, approve, send back) */
  review: VNode | null;
  entryTools: (update: EventUpdate) => VNode | null;
  componentTools: (component: Component) => VNode | null;
}

interface EventPageProps {
  context: PageContext;
  event: StatusEvent;
  components: readonly Component[];
  now: number;
  operatorTools?: OperatorTools | undefined;
}

/** One event: what, where, when, and its whole timeline, newest first (reference v1 §4.3). */
export function EventPage({ context, event, components, now, operatorTools }: EventPageProps) {
  const state = stateOf(event);
  const status = statusLabel(currentStatus(event, now));
  const ended = event.endAt !== null && event.endAt <= now;
  const regions = regionsOf(components);
  const kind = eventKindLabel(event);
  const iconName = event.type === 'info' ? 'planned' : state;
  return (
    // An operator's page never refreshes itself: it would wipe the form being filled in.
    <Layout context={context} title={event.title} section="event" live={!ended && !operatorTools} operator={operatorTools?.session}>
      <article class={`event state-border-${event.type === 'info' ? 'info' : state}`}>
        <p class="eyebrow">
          {kind} #{event.id}
        </p>
        <h1>
          <Icon name={iconName} />
          <span>{event.title}</span>
        </h1>
        <p class="event-state" data-live-summary>
          {kind} {status}
          {event.type === 'incident' && !ended && ` (${STATE_LABELS[state].toLowerCase()})`}
        </p>
        <Facts>
          <Fact term={event.type === 'incident' ? 'Impact' : 'Type'}>{event.type === 'incident' ? IMPACTS[event.impact].label : kind}</Fact>
          <Fact term="Status">{status}</Fact>
          {operatorTools?.facts}
          <Fact term={event.startAt > now ? 'Starts' : 'Began'}>
            <Time at={event.startAt} />
          </Fact>
          {event.endAt !== null && (
            <Fact term={ended ? 'Ended' : event.type === 'incident' ? 'Ends' : 'Planned end'}>
              <Time at={event.endAt} />
            </Fact>
          )}
          {ended && event.endAt !== null && <Fact term="Duration">{duration(event.endAt - event.startAt)}</Fact>}
          <Fact term={regions.length > 1 ? 'Regions' : 'Region'}>{components.length > 0 ? regions.join(', ') : 'None'}</Fact>
        </Facts>
        {event.description && <p class="description">{event.description}</p>}
        {operatorTools?.review}

        <section aria-labelledby="services-heading">
          <h2 id="services-heading">Affected services</h2>
          {components.length === 0 ? (
            <p>No services are linked to this {kind.toLowerCase()}.</p>
          ) : (
            <ul class="service-list">
              {components.map((component) => {
                const region = attributeValue(component, 'region');
                const category = attributeValue(component, 'category');
                return (
                  <li>
                    <a href={servicePath(component)}>{component.name}</a>
                    {(region || category) && <span class="muted"> ({[category, region].filter(Boolean).join(', ')})</span>}
                    {operatorTools?.componentTools(component)}
                  </li>
                );
              })}
            </ul>
          )}
          {components.length > 0 && (
            <SubscribeLink context={context} preset={new URLSearchParams(components.map((component) => ['component', String(component.id)]))}>
              Subscribe to news of {components.length === 1 ? 'this service' : 'these services'} by email
            </SubscribeLink>
          )}
        </section>

        {operatorTools?.form}

        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Updates</h2>
          {event.updates.length === 0 ? (
            <p>No updates yet.</p>
          ) : (
            <ol class="timeline" reversed>
              {event.updates.map((update) => (
                <li>
                  <p class="update-meta">
                    <strong class="status">{statusLabel(update.status)}</strong> · <Time at={update.at} />
                    {operatorTools && <span class="muted"> · by {authorLabel(update.author)}</span>}
                  </p>
                  <p class="update-text" dangerouslySetInnerHTML={{ __html: updateTextHtml(update) }} />
                  {operatorTools?.entryTools(update)}
                </li>
              ))}
            </ol>
          )}
        </section>
        {isActive(event, now) || event.startAt > now || event.status === PENDING_REVIEW ? null : <p class="muted">This {kind.toLowerCase()} {event.type === 'incident' ? 'has been resolved' : status === 'cancelled' ? 'was cancelled' : 'has been completed'}.</p>}
      </article>
    </Layout>
  );
}

/** "2 h 05 min", "3 d 4 h": how long an event lasted. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${rest} min`;
}

/** The page of an id that names no event; a page for one person has their header. */
export function NotFoundPage({ context, what, operator }: { context: PageContext; what: string; operator?: SessionView | undefined }) {
  return (
    <Layout context={context} title="Not found" section="event" operator={operator}>
      <h1>Not found</h1>
      <p>{what}</p>
      <p>
        <a href="/">Back to the current status</a> · <a href="/history">History</a>
      </p>
    </Layout>
  );
}
