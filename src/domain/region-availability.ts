import { monthlyAvailability, type MonthlyAvailability } from './availability.js';
import type { Component } from './component.js';
import type { StatusEvent } from './event.js';
import type { RegionOverview } from './status-overview.js';

export interface ServiceAvailability {
  component: Component;
  /** oldest month first */
  months: MonthlyAvailability[];
}

export interface CategoryAvailability {
  name: string;
  services: ServiceAvailability[];
}

export interface RegionAvailability {
  name: string;
  /** the months of the table, oldest first */
  months: { year: number; month: number }[];
  /** "All services": per month, the mean of the region's services (see below) */
  all: number[];
  categories: CategoryAvailability[];
}

/**
 * The availability table of one region: each listed service (the overview's grouping: sorted
 * categories, services by name) over the last `months` calendar months, oldest first.
 *
 * The "All services" row is the plain mean of the services' percentages for each month. Every
 * service is measured against the same length of time in a month, so the mean is the share of
 * service-time in the region that was available: 2 services, one down for 5 h in a 744 h month,
 * give (744 + 739) / (2 × 744) = 99.66 %. It is not the share of time in which every service
 * was up (that would call two outages at different times worse than the same two at once).
 */
export function regionAvailability(region: RegionOverview, eventsOf: (componentId: number) => readonly StatusEvent[], now: number, months = 12): RegionAvailability {
  const categories = region.categories.map((category) => ({
    name: category.name,
    services: category.components.map(({ component }) => ({ component, months: monthlyAvailability(eventsOf(component.id), now, months).reverse() })),
  }));
  const services = categories.flatMap((category) => category.services);
  const calendar = monthlyAvailability([], now, months)
    .reverse()
    .map(({ year, month }) => ({ year, month }));
  const all = calendar.map((_, index) => {
    if (services.length === 0) return 100;
    const sum = services.reduce((total, service) => total + (service.months[index]?.percentage ?? 100), 0);
    return Math.round((sum / services.length) * 100_000) / 100_000;
  });
  return { name: region.name, months: calendar, all, categories };
}
