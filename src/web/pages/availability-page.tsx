import type { RegionAvailability } from '../../domain/region-availability.js';
import { availabilityBand, monthName, percentText, shortMonthName } from '../format.js';
import { Layout, type PageContext } from '../layout.js';
import { RegionTabs } from '../parts.js';

interface AvailabilityPageProps {
  context: PageContext;
  /** every region with listed services, sorted: the tabs */
  regions: readonly string[];
  /** the open tab's table; none when no service has a region and a category */
  table: RegionAvailability | undefined;
}

/** Availability per service and month, one region at a time (reference v1 §4.5, §7 with its bugs fixed). */
export function AvailabilityPage({ context, regions, table }: AvailabilityPageProps) {
  return (
    <Layout wide context={context} title="Component Availability" section="availability" feed={table ? { title: `Events in ${table.name}`, query: `?region=${encodeURIComponent(table.name)}` } : undefined}>
      <h1>Component Availability</h1>
      <RegionTabs regions={regions.map((name) => ({ name }))} current={table?.name} href={(name) => `/availability?region=${encodeURIComponent(name)}`} label="Regions" />
      {table ? <AvailabilityTable table={table} /> : <p class="notice">No components with a region and a category yet.</p>}
      <p class="muted">
        The share of each month in which a service had no outage (an incident with the impact “outage”). Maintenance is never counted as downtime; an outage that spans two months counts
        in both, and the current month is measured up to now. “All services” is the mean of the region’s services: the share of service-time that was available. Months are
        calendar months in UTC.
      </p>
    </Layout>
  );
}

function AvailabilityTable({ table }: { table: RegionAvailability }) {
  const columns = table.months.length;
  const first = table.months[0];
  const last = table.months.at(-1);
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={`Availability in ${table.name}`}>
      <table class="availability-table">
        <caption>
          Availability of the services in {table.name}, in percent{first && last ? `, ${monthName(first.year, first.month)} to ${monthName(last.year, last.month)}` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Category
            </th>
            <th scope="col" rowSpan={2}>
              Service
            </th>
            <th scope="colgroup" colSpan={columns} class="availability">
              Availability, <span aria-hidden="true">%</span>
              <span class="visually-hidden">percent</span>
            </th>
          </tr>
          <tr>
            {table.months.map(({ year, month }) => (
              <th scope="col" class="availability">
                <span aria-hidden="true">{shortMonthName(year, month)}</span>
                <span class="visually-hidden">{monthName(year, month)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="all-services">
          <tr>
            <th scope="row" colSpan={2}>
              All services
            </th>
            {table.all.map((percentage) => (
              <Cell percentage={percentage} />
            ))}
          </tr>
        </tbody>
        {table.categories.map((category) => (
          <tbody>
            {category.services.map((service, index) => (
              <tr>
                {index === 0 && (
                  <th scope="rowgroup" rowSpan={category.services.length}>
                    {category.name}
                  </th>
                )}
                <th scope="row">{service.component.name}</th>
                {service.months.map(({ percentage }) => (
                  <Cell percentage={percentage} />
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** "99.33", read out as "99.33 percent"; the band's colour repeats what the number says. */
export function Cell({ percentage }: { percentage: number }) {
  return (
    <td class={`availability band-${availabilityBand(percentage)}`}>
      {percentText(percentage)}
      <span class="visually-hidden"> percent</span>
    </td>
  );
}
