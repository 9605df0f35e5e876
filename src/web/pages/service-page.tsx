import type { MonthlyAvailability } from '../../domain/availability.js';
import { attributeValue, type Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import type { HistorySelection } from '../../domain/history.js';
import type { ComponentStatus } from '../../domain/status-overview.js';
import type { UptimeBar } from '../../domain/uptime.js';
import { monthName } from '../format.js';
import { Layout, type PageContext } from '../layout.js';
import { servicePath, StateLabel } from '../parts.js';
import { SubscribeLink } from '../subscribe-link.js';
import { UptimeBarView } from '../uptime-bar.js';
import { Cell } from './availability-page.js';
import { EventSummary, PlannedSection } from './event-summary.js';
import { HistoryGroups } from './history-page.js';

interface ServicePageProps {
  context: PageContext;
  status: ComponentStatus;
  /** its events in progress (incidents, maintenances, notices), newest start first */
  active: StatusEvent[];
  /** its maintenances and notices yet to start, soonest first */
  planned: StatusEvent[];
  bar: UptimeBar;
  /** newest month first */
  months: MonthlyAvailability[];
  history: HistorySelection;
  componentsOf: (event: StatusEvent) => Component[];
  now: number;
}

/** "?component=Compute&region=EU-DE": the feeds' filter for one service. */
function feedQuery(component: Component): string {
  const params = new URLSearchParams({ component: component.name });
  const region = attributeValue(component, 'region');
  if (region !== undefined) params.set('region', region);
  return `?${params.toString()}`;
}

/**
 * One service (a component in its region, issue 19): its state now, what happens to it and is
 * planned, its 90-day bar, twelve months of availability, its past events page by page, and the
 * ways to follow it (feeds, badge, email).
 */
export function ServicePage({ context, status, active, planned, bar, months, history, componentsOf, now }: ServicePageProps) {
  const { component, state, cause } = status;
  const region = attributeValue(component, 'region');
  const category = attributeValue(component, 'category');
  const label = region === undefined ? component.name : `${component.name} in ${region}`;
  const query = feedQuery(component);
  const badge = `/badge/component/${component.id}.svg`;
  return (
    <Layout context={context} title={label} section="status" live feed={{ title: `Events of ${label}`, query }}>
      <h1>{component.name}</h1>
      <p class="service-facts">
        {region !== undefined && (
          <>
            Region <a href={`/?region=${encodeURIComponent(region)}`}>{region}</a>
          </>
        )}
        {category !== undefined && <> · Category {category}</>}
      </p>
      <section class={`headline state-border-${state}`} aria-labelledby="service-state">
        <p id="service-state" data-live-summary>
          {cause ? (
            <a href={`/incidents/${cause.id}`} title={cause.title}>
              <StateLabel state={state} />
            </a>
          ) : (
            <StateLabel state={state} />
          )}
        </p>
      </section>

      {active.length > 0 && (
        <section aria-labelledby="active-heading">
          <h2 id="active-heading">In progress</h2>
          {active.map((event) => (
            <EventSummary event={event} components={componentsOf(event)} now={now} />
          ))}
        </section>
      )}

      <PlannedSection events={planned} />

      <section aria-labelledby="uptime-heading">
        <h2 id="uptime-heading">Last 90 days</h2>
        <div class="card service-uptime">
          <UptimeBarView bar={bar} label={component.name} />
        </div>
      </section>

      <section aria-labelledby="availability-heading">
        <h2 id="availability-heading">Availability by month</h2>
        <table class="availability-table service-months">
          <caption class="visually-hidden">Availability of {label} in the last 12 months, in percent</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" class="availability">
                Availability, <span aria-hidden="true">%</span>
                <span class="visually-hidden">percent</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map(({ year, month, percentage }) => (
              <tr>
                <th scope="row">{monthName(year, month)}</th>
                <Cell percentage={percentage} />
              </tr>
            ))}
          </tbody>
        </table>
        <p class="muted">Only outages count as downtime, as on the availability page; the current month is measured up to now.</p>
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {history.total === 0 ? (
          <p class="notice">No ended incidents, maintenances or notices.</p>
        ) : (
          <HistoryGroups selection={history} componentsOf={componentsOf} now={now} level={3} pageHref={(page) => `${servicePath(component)}${page > 1 ? `?page=${page}` : ''}#history-heading`} />
        )}
      </section>

      <section aria-labelledby="follow-heading">
        <h2 id="follow-heading">Follow this service</h2>
        <p>
          Feeds of its events: <a href={`/feeds/atom.xml${query}`}>Atom</a> · <a href={`/feeds/rss.xml${query}`}>RSS</a> · <a href={`/feeds/feed.json${query}`}>JSON Feed</a>
        </p>
        <p class="service-badge">
          <a href={badge}>
            <img src={badge} alt={`Status badge of ${label}`} height="20" />
          </a>{' '}
          <span class="muted">Its status badge, an SVG image to embed anywhere</span>
        </p>
        <SubscribeLink context={context} preset={new URLSearchParams({ component: String(component.id) })}>
          Subscribe to news of {label} by email
        </SubscribeLink>
      </section>
    </Layout>
  );
}
