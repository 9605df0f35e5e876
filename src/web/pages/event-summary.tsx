import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { currentStatus } from '../../domain/event-status.js';
import { IMPACTS } from '../../domain/impact.js';
import { stateOf } from '../../domain/status-overview.js';
import { updateTextHtml } from '../../domain/texts.js';
import { eventKindLabel, Fact, Facts, Icon, regionsOf, ServiceList, Time } from '../parts.js';

/** The latest entry people should read: the newest of the timeline. */
export function latestUpdate(event: StatusEvent) {
  return event.updates[0];
}

/** An event as the front page lists it: what, where, since when, and the latest word on it. */
export function EventSummary({ event, components, now }: { event: StatusEvent; components: readonly Component[]; now: number }) {
  const update = latestUpdate(event);
  const state = stateOf(event);
  const regions = regionsOf(components);
  return (
    <article class={`event-summary state-border-${event.type === 'info' ? 'info' : state}`} aria-labelledby={`event-${event.id}-title`}>
      <h3 id={`event-${event.id}-title`}>
        <Icon name={event.type === 'info' ? 'planned' : state} />
        <a href={`/incidents/${event.id}`}>{event.title}</a>
      </h3>
      <Facts>
        <Fact term={event.type === 'incident' ? 'Impact' : 'Type'}>{event.type === 'incident' ? IMPACTS[event.impact].label : eventKindLabel(event)}</Fact>
        <Fact term="Status">{currentStatus(event, now)}</Fact>
        {components.length > 0 && <Fact term={regions.length > 1 ? 'Regions' : 'Region'}>{regions.join(', ')}</Fact>}
        {components.length > 0 && (
          <Fact term="Services">
            <ServiceList components={components} />
          </Fact>
        )}
        <Fact term={event.startAt > now ? 'Starts' : 'Began'}>
          <Time at={event.startAt} />
        </Fact>
        {event.endAt !== null && (
          <Fact term={event.type === 'incident' ? 'Ends' : 'Planned end'}>
            <Time at={event.endAt} />
          </Fact>
        )}
      </Facts>
      {event.description && <p class="description">{event.description}</p>}
      {update && (
        <div class="latest-update">
          <p class="update-meta">
            Latest update, <span class="status">{update.status}</span>, <Time at={update.at} />:
          </p>
          <p class="update-text" dangerouslySetInnerHTML={{ __html: updateTextHtml(update) }} />
        </div>
      )}
    </article>
  );
}

/** Maintenances and notices yet to start, soonest first, each with its window: the front page's and a service's "Planned". */
export function PlannedSection({ events }: { events: readonly StatusEvent[] }) {
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="planned-heading">
      <h2 id="planned-heading">Planned</h2>
      <ul class="planned-list">
        {events.map((event) => (
          <li>
            <a href={`/incidents/${event.id}`}>{event.title}</a>: <Time at={event.startAt} />
            {event.endAt !== null && (
              <>
                {' '}
                to <Time at={event.endAt} />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
