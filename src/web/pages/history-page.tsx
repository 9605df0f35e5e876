import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { currentStatus } from '../../domain/event-status.js';
import { isFiltered, type FilterChoices, type HistoryFilter, type HistorySelection } from '../../domain/history.js';
import { stateOf } from '../../domain/status-overview.js';
import { monthName } from '../format.js';
import { Layout, type FeedLink, type PageContext } from '../layout.js';
import { eventKindLabel, Icon, NewerOlder, regionsOf, ServiceList, Time } from '../parts.js';
import { SubscribeLink } from '../subscribe-link.js';

interface HistoryPageProps {
  context: PageContext;
  selection: HistorySelection;
  /** the filter as asked, empty values already dropped */
  filter: HistoryFilter;
  choices: FilterChoices;
  componentsOf: (event: StatusEvent) => Component[];
  now: number;
}

const FILTER_KEYS = ['region', 'category', 'component'] as const;

/** "?region=EU-DE&page=2": the filter (and page) as a query, "" when there is neither. */
export function historyQuery(filter: HistoryFilter, page = 1): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The history's filter as `/subscribe` takes it: its service filter is a name (`service`), not ids. */
function subscribePreset(filter: HistoryFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.region) params.set('region', filter.region);
  if (filter.category) params.set('category', filter.category);
  if (filter.component) params.set('service', filter.component);
  return params;
}

/** The feeds of the same selection; the default (everything) when the filter matches nothing, since those feeds would not exist. */
function feedOf(filter: HistoryFilter, matchesNothing: boolean): FeedLink | undefined {
  if (!isFiltered(filter) || matchesNothing) return undefined;
  const scope = [filter.component && `service ${filter.component}`, filter.category && `category ${filter.category}`, filter.region && `region ${filter.region}`].filter(Boolean).join(', ');
  return { title: `Events of ${scope}`, query: historyQuery(filter) };
}

/** The closing sentence of an ended event, as its own page words it. */
export function endedText(event: StatusEvent, now: number): string {
  const kind = eventKindLabel(event).toLowerCase();
  if (event.type === 'incident') return `This ${kind} has been resolved.`;
  return currentStatus(event, now) === 'cancelled' ? `This ${kind} was cancelled.` : `This ${kind} has been completed.`;
}

/** Ended events by the month they ended, newest first, with filters and pages (reference v1 §4.4). */
export function HistoryPage({ context, selection, filter, choices, componentsOf, now }: HistoryPageProps) {
  const { total, matchesNothing } = selection;
  const filtered = isFiltered(filter);
  return (
    <Layout context={context} title="Event History" section="history" feed={feedOf(filter, matchesNothing)}>
      <h1>Event History</h1>
      <form method="get" action="/history" class="filters" aria-label="Filter the history">
        <FilterSelect name="region" label="Region" all="All regions" values={choices.regions} selected={filter.region} />
        <FilterSelect name="category" label="Category" all="All categories" values={choices.categories} selected={filter.category} />
        <FilterSelect name="component" label="Service" all="All services" values={choices.components} selected={filter.component} />
        <button type="submit">Show</button>
        {filtered && <a href="/history">Show everything</a>}
      </form>
      {!matchesNothing && (
        <SubscribeLink context={context} preset={subscribePreset(filter)}>
          {filtered ? 'Subscribe to news of these services by email' : 'Subscribe to news by email'}
        </SubscribeLink>
      )}

      {total === 0 ? (
        <p class="notice">
          {matchesNothing
            ? 'No service matches the chosen region, category and service. Choose other filters or show everything.'
            : filtered
              ? 'No ended incidents, maintenances or notices for these filters.'
              : 'No incidents yet.'}
        </p>
      ) : (
        <>
          <p class="muted">
            {total} {total === 1 ? 'event' : 'events'}
            {filtered ? ' match these filters' : ' ended so far'}.
          </p>
          <HistoryGroups selection={selection} componentsOf={componentsOf} now={now} pageHref={(to) => `/history${historyQuery(filter, to)}`} />
        </>
      )}
    </Layout>
  );
}

function FilterSelect({ name, label, all, values, selected }: { name: string; label: string; all: string; values: readonly string[]; selected: string | undefined }) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">{all}</option>
        {values.map((value) => (
          <option value={value} selected={value === selected}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );
}

interface HistoryGroupsProps {
  selection: HistorySelection;
  componentsOf: (event: StatusEvent) => Component[];
  now: number;
  /** the address of another page of the same list */
  pageHref: (page: number) => string;
  /** the months' heading level; the events' is one below (a service's page nests them under its "History") */
  level?: 2 | 3;
}

/** A page of ended events under their months' headings, with the links to the newer and older pages: the history's and a service's. */
export function HistoryGroups({ selection: { groups, page, pages }, componentsOf, now, pageHref, level = 2 }: HistoryGroupsProps) {
  const MonthHeading = level === 2 ? 'h2' : 'h3';
  return (
    <>
      {groups.map((group) => {
        const id = `month-${group.year}-${String(group.month).padStart(2, '0')}`;
        return (
          <section aria-labelledby={id}>
            <MonthHeading id={id}>{monthName(group.year, group.month)}</MonthHeading>
            <ul class="history-list">
              {group.events.map((event) => (
                <HistoryEntry event={event} components={componentsOf(event)} now={now} level={level} />
              ))}
            </ul>
          </section>
        );
      })}
      {pages > 1 && (
        <NewerOlder newer={page > 1 ? pageHref(page - 1) : undefined} older={page < pages ? pageHref(page + 1) : undefined}>
          <span>
            Page {page} of {pages}
          </span>
        </NewerOlder>
      )}
    </>
  );
}

function HistoryEntry({ event, components, now, level }: { event: StatusEvent; components: readonly Component[]; now: number; level: 2 | 3 }) {
  const regions = regionsOf(components);
  const Heading = level === 2 ? 'h3' : 'h4';
  return (
    <li class="history-entry">
      <Heading>
        <Icon name={event.type === 'info' ? 'planned' : stateOf(event)} />
        <a href={`/incidents/${event.id}`}>{event.title}</a>
      </Heading>
      <p class="history-meta">
        <span class="muted">{eventKindLabel(event)}</span> · <Time at={event.startAt} /> – {event.endAt !== null && <Time at={event.endAt} />}
      </p>
      {components.length > 0 && (
        <p class="history-meta">
          <span class="muted">{regions.length > 1 ? 'Regions' : 'Region'}:</span> {regions.join(', ')} · <span class="muted">Services:</span> <ServiceList components={components} />
        </p>
      )}
      <p class="history-meta muted">{endedText(event, now)}</p>
    </li>
  );
}
