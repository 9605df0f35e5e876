import type { ComponentChildren } from 'preact';
import type { Component } from '../domain/component.js';
import { attributeValue } from '../domain/component.js';
import type { StatusEvent } from '../domain/event.js';
import { PENDING_REVIEW } from '../domain/event-status.js';
import { STATE_LABELS, STATES, type State } from '../domain/status-overview.js';
import { compareText } from '../domain/status-overview.js';
import { utcText } from './format.js';

/**
 * One symbol per state, each a different shape, so that the state never rests on colour alone
 * (and every use carries the state's name in text as well).
 */
export function IconSprite() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="sprite" aria-hidden="true" focusable="false">
      <symbol id="i-operational" viewBox="0 0 16 16">
        <circle cx="8" cy="8" r="7.5" fill="currentColor" />
        <path d="M4.5 8.3l2.3 2.3 4.7-4.9" fill="none" stroke="var(--icon-ink)" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
      </symbol>
      <symbol id="i-maintenance" viewBox="0 0 16 16">
        <rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="currentColor" />
        <path d="M10.6 3.2a2.8 2.8 0 0 0-3.3 3.6L3.4 10.7a1.1 1.1 0 0 0 1.6 1.6l3.9-3.9a2.8 2.8 0 0 0 3.6-3.3l-1.6 1.6-1.5-.4-.4-1.5z" fill="var(--icon-ink)" />
      </symbol>
      <symbol id="i-minor" viewBox="0 0 16 16">
        <circle cx="8" cy="8" r="7.5" fill="currentColor" />
        <rect x="4" y="7" width="8" height="2" rx="1" fill="var(--icon-ink)" />
      </symbol>
      <symbol id="i-major" viewBox="0 0 16 16">
        <path d="M8 .6l7.4 14.2H.6z" fill="currentColor" stroke="currentColor" stroke-linejoin="round" />
        <rect x="7.1" y="5" width="1.8" height="5.2" rx=".9" fill="var(--icon-ink)" />
        <circle cx="8" cy="12.4" r="1" fill="var(--icon-ink)" />
      </symbol>
      <symbol id="i-outage" viewBox="0 0 16 16">
        <path d="M4.7.5h6.6l4.2 4.2v6.6l-4.2 4.2H4.7L.5 11.3V4.7z" fill="currentColor" />
        <path d="M5.4 5.4l5.2 5.2m0-5.2l-5.2 5.2" stroke="var(--icon-ink)" stroke-width="1.8" stroke-linecap="round" />
      </symbol>
      <symbol id="i-planned" viewBox="0 0 16 16">
        <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="1.6" />
        <path d="M8 4v4.3l2.8 1.7" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
      </symbol>
    </svg>
  );
}

export function Icon({ name }: { name: State | 'planned' }) {
  return (
    <svg class={`icon state-${name}`} aria-hidden="true" focusable="false" width="16" height="16">
      <use href={`#i-${name}`} />
    </svg>
  );
}

/** A state as icon and words. */
export function StateLabel({ state }: { state: State }) {
  return (
    <span class={`state state-${state}`}>
      <Icon name={state} />
      <span class="state-text">{STATE_LABELS[state]}</span>
    </span>
  );
}

export function Legend() {
  return (
    <section class="legend" aria-label="Legend">
      <ul>
        {STATES.map((state) => (
          <li>
            <StateLabel state={state} />
          </li>
        ))}
        <li>
          <span class="state state-planned">
            <Icon name="planned" />
            <span class="state-text">Planned maintenance</span>
          </span>
        </li>
      </ul>
    </section>
  );
}

/** A moment in UTC; the page script rewrites it into the reader's own zone. */
export function Time({ at }: { at: number }) {
  return <time dateTime={new Date(at).toISOString()}>{utcText(at)}</time>;
}

/** "EU-DE, EU-NL": the regions of an event's components, sorted. */
export function regionsOf(components: readonly Component[]): string[] {
  return [...new Set(components.map((component) => attributeValue(component, 'region') ?? 'None'))].sort(compareText);
}

/** A service's own page, by id (issue 19): what every page that names a service links to. */
export function servicePath(component: Pick<Component, 'id'>): string {
  return `/components/${component.id}`;
}

/** The components of an event, each a link to its page, named with their region when the event spans several. */
export function ServiceList({ components }: { components: readonly Component[] }) {
  const several = regionsOf(components).length > 1;
  return (
    <>
      {components.map((component, index) => (
        <>
          {index > 0 && ', '}
          <a href={servicePath(component)}>{component.name}</a>
          {several && ` (${attributeValue(component, 'region') ?? 'None'})`}
        </>
      ))}
    </>
  );
}

export function Facts({ children }: { children: ComponentChildren }) {
  return <dl class="facts">{children}</dl>;
}

export function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Region tabs: links, so that they work without script and each selection has its address. */
export function RegionTabs({ regions, current, href, label }: { regions: { name: string; state?: State }[]; current: string | undefined; href: (region: string) => string; label: string }) {
  if (regions.length === 0) return null;
  return (
    <nav class="tabs" aria-label={label}>
      <ul>
        {regions.map((region) => (
          <li>
            <a href={href(region.name)} aria-current={region.name === current ? 'page' : undefined}>
              {region.state && <Icon name={region.state} />}
              <span>{region.name.toUpperCase()}</span>
              {region.state && region.state !== 'operational' && <span class="visually-hidden"> ({STATE_LABELS[region.state]})</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A status in words: the review's `pending_review` (as the APIs spell it) reads "pending review". */
export function statusLabel(status: string): string {
  return status === PENDING_REVIEW ? 'pending review' : status;
}

export function eventKindLabel(event: Pick<StatusEvent, 'type'>): string {
  return event.type === 'incident' ? 'Incident' : event.type === 'maintenance' ? 'Maintenance' : 'Notice';
}

/** "Newer" and "Older" links of a paged list (newest first); a missing side keeps its place empty. */
export function NewerOlder({ newer, older, children }: { newer?: string | undefined; older?: string | undefined; children?: ComponentChildren }) {
  return (
    <nav class="pagination" aria-label="Pages">
      {newer ? (
        <a href={newer} rel="prev">
          Newer
        </a>
      ) : (
        <span />
      )}
      {children}
      {older ? (
        <a href={older} rel="next">
          Older
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
