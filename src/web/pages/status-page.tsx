import type { Component } from '../../domain/component.js';
import type { StatusEvent } from '../../domain/event.js';
import { affectedRegions, STATE_LABELS, type RegionOverview, type StatusOverview } from '../../domain/status-overview.js';
import { Layout, type PageContext } from '../layout.js';
import { Icon, Legend, RegionTabs, servicePath, StateLabel } from '../parts.js';
import type { UptimeBar } from '../../domain/uptime.js';
import { SubscribeLink } from '../subscribe-link.js';
import { UptimeBarView } from '../uptime-bar.js';
import { EventSummary, PlannedSection } from './event-summary.js';

interface StatusPageProps {
  context: PageContext;
  overview: StatusOverview;
  /** the region whose tab is open */
  region: RegionOverview | undefined;
  componentsOf: (event: StatusEvent) => Component[];
  /** the 90-day bar of each listed component */
  barOf: (componentId: number) => UptimeBar | undefined;
  now: number;
}

/** The sentence that answers "is it me or is it the cloud?", also what screen readers hear on a change. */
export function headline(overview: StatusOverview): string {
  const affected = affectedRegions(overview);
  const troubled = affected.filter((region) => region.state !== 'maintenance');
  const maintained = affected.filter((region) => region.state === 'maintenance').map((region) => region.name);
  const maintenance = maintained.length > 0 ? `maintenance in ${maintained.join(', ')}` : overview.maintenances.length > 0 ? 'maintenance in progress' : '';
  if (overview.incidents.length === 0 && troubled.length === 0) {
    return maintenance ? `All systems operational; ${maintenance}` : 'All systems operational';
  }
  const where = troubled.length > 0 ? troubled.map((region) => `${STATE_LABELS[region.state].toLowerCase()} in ${region.name}`).join(', ') : 'some services are affected';
  const count = plural(overview.incidents.length, 'active incident');
  return `${where.charAt(0).toUpperCase()}${where.slice(1)}${count ? ` (${count})` : ''}${maintenance ? `; ${maintenance}` : ''}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
}

export function StatusPage({ context, overview, region, componentsOf, barOf, now }: StatusPageProps) {
  return (
    <Layout context={context} section="status" live feed={region ? { title: `Events in ${region.name}`, query: `?region=${encodeURIComponent(region.name)}` } : undefined}>
      <h1 class="visually-hidden">Current status</h1>
      <section class={`headline state-border-${overview.state}`} aria-labelledby="headline">
        <Icon name={overview.state} />
        <p id="headline" data-live-summary>
          {headline(overview)}
        </p>
      </section>

      {overview.incidents.length > 0 && (
        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading">Active incidents</h2>
          {overview.incidents.map((event) => (
            <EventSummary event={event} components={componentsOf(event)} now={now} />
          ))}
        </section>
      )}

      <section aria-labelledby="components-heading">
        <h2 id="components-heading">Services by region</h2>
        <RegionTabs
          regions={overview.regions}
          current={region?.name}
          href={(name) => `/?region=${encodeURIComponent(name)}`}
          label="Regions"
        />
        {region ? (
          <div class="cards" id="region-panel">
            {region.categories.map((category, index) => (
              <section class="card" aria-labelledby={`category-${index}`}>
                <h3 id={`category-${index}`}>{category.name}</h3>
                <ul class="components">
                  {category.components.map(({ component, state, cause, planned }) => {
                    const bar = barOf(component.id);
                    return (
                      <li>
                        <a class="component-name" href={servicePath(component)}>
                          {component.name}
                        </a>
                        <span class="component-state">
                          {cause ? (
                            <a href={`/incidents/${cause.id}`} title={cause.title}>
                              <StateLabel state={state} />
                            </a>
                          ) : (
                            <StateLabel state={state} />
                          )}
                          {planned && (
                            <a class="planned-mark" href={`/incidents/${planned.id}`} title={`Planned maintenance: ${planned.title}`}>
                              <Icon name="planned" />
                              <span class="visually-hidden">Planned maintenance: {planned.title}</span>
                            </a>
                          )}
                        </span>
                        {bar && <UptimeBarView bar={bar} label={component.name} />}
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </div>
        ) : (
          <p>No components with a region and a category yet.</p>
        )}
        {region && (
          <SubscribeLink context={context} preset={new URLSearchParams({ region: region.name })}>
            Subscribe to news of {region.name} by email
          </SubscribeLink>
        )}
      </section>

      {overview.maintenances.length > 0 && (
        <section aria-labelledby="maintenance-heading">
          <h2 id="maintenance-heading">Maintenance in progress and notices</h2>
          {overview.maintenances.map((event) => (
            <EventSummary event={event} components={componentsOf(event)} now={now} />
          ))}
        </section>
      )}

      <PlannedSection events={overview.planned} />
      <Legend />
    </Layout>
  );
}
