import { withoutForbiddenCharacters } from '../../domain/characters.js';
import type { StatusEvent } from '../../domain/event.js';
import { IMPACTS } from '../../domain/impact.js';
import { updateTextHtml } from '../../domain/texts.js';

const stamp = (epochMs: number) => `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The item body the reference's RSS readers know (reference v1 §5), with every time zoned. */
export function eventSummaryHtml(event: StatusEvent): string {
  const parts = event.updates.map(
    (update) => `<small>${stamp(update.at)}</small><br><strong>${updateTextHtml({ status: 'text', text: update.status })} - </strong>${updateTextHtml(update)}<br>`,
  );
  parts.push(`Incident impact: ${IMPACTS[event.impact].key}`, `Incident has started on: ${stamp(event.startAt)}`);
  if (event.endAt !== null) parts.push(`Incident end date: ${stamp(event.endAt)}`);
  parts.push('', 'We apologize for the inconvenience and will share an update once we have more information.');
  return parts.join('<br>');
}

export interface FeedMeta {
  title: string;
  description: string;
  /** absolute URL of this feed */
  self: string;
  /** absolute base URL of the dashboard, without a trailing slash */
  base: string;
}

/*
 * The feeds are written here, not by the `feed` package: its Atom marks every title as HTML
 * (`type="html"`, raw in CDATA) and its CDATA sections end at a text's second `]]>`. Titles are
 * text in all three formats (the RSS Board: titles hold no HTML; Atom's default `type="text"`;
 * JSON Feed's `title`), escaped like every other value; only the item body is HTML, ours, with
 * the user's text escaped in it. Characters XML forbids, which texts stored before they were
 * refused may hold, are dropped from everything a feed shows.
 */

// XML's predefined entities only, which even lax feed parsers decode (some leave numeric ones,
// like the &#39; escapeHtml writes, as they are).
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const xml = (text: string) => withoutForbiddenCharacters(text).replace(/[&<>"]/g, (char) => XML_ESCAPES[char] ?? char);
const lastChange = (event: StatusEvent) => Math.max(event.startAt, event.endAt ?? 0, ...event.updates.map((update) => update.at));
const updatedAt = (events: readonly StatusEvent[]) => new Date(events.length > 0 ? Math.max(...events.map(lastChange)) : 0);
const eventUrl = (meta: FeedMeta, event: StatusEvent) => `${meta.base}/incidents/${event.id}`;

export function rss2(meta: FeedMeta, events: readonly StatusEvent[]): string {
  const items = events.map((event) => {
    const url = xml(eventUrl(meta, event));
    return `
        <item>
            <title>${xml(event.title)}</title>
            <link>${url}</link>
            <guid isPermaLink="false">${url}</guid>
            <pubDate>${new Date(event.startAt).toUTCString()}</pubDate>
            <description>${xml(eventSummaryHtml(event))}</description>
            <category>${event.type}</category>
        </item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
    <channel>
        <title>${xml(meta.title)}</title>
        <link>${xml(`${meta.base}/`)}</link>
        <description>${xml(meta.description)}</description>
        <lastBuildDate>${updatedAt(events).toUTCString()}</lastBuildDate>
        <docs>https://validator.w3.org/feed/docs/rss2.html</docs>
        <generator>Status Dashboard</generator>
        <atom:link href="${xml(meta.self)}" rel="self" type="application/rss+xml"/>${items.join('')}
    </channel>
</rss>
`;
}

export function atom1(meta: FeedMeta, events: readonly StatusEvent[]): string {
  const entries = events.map((event) => {
    const url = xml(eventUrl(meta, event));
    return `
    <entry>
        <title>${xml(event.title)}</title>
        <id>${url}</id>
        <link href="${url}"/>
        <updated>${new Date(lastChange(event)).toISOString()}</updated>
        <published>${new Date(event.startAt).toISOString()}</published>
        <summary type="html">${xml(eventSummaryHtml(event))}</summary>
        <category term="${event.type}"/>
    </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
    <id>${xml(meta.self)}</id>
    <title>${xml(meta.title)}</title>
    <subtitle>${xml(meta.description)}</subtitle>
    <updated>${updatedAt(events).toISOString()}</updated>
    <generator>Status Dashboard</generator>
    <link rel="alternate" href="${xml(`${meta.base}/`)}"/>
    <link rel="self" href="${xml(meta.self)}"/>${entries.join('')}
</feed>
`;
}

/** JSON Feed (version 1, as the `feed` package wrote it). */
export function jsonFeed(meta: FeedMeta, events: readonly StatusEvent[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1',
    title: meta.title,
    home_page_url: `${meta.base}/`,
    feed_url: meta.self,
    description: meta.description,
    items: events.map((event) => ({
      id: eventUrl(meta, event),
      content_html: eventSummaryHtml(event),
      url: eventUrl(meta, event),
      title: event.title,
      date_modified: new Date(lastChange(event)).toISOString(),
      date_published: new Date(event.startAt).toISOString(),
      tags: [event.type],
    })),
  };
  // Not XML, but its readers put these texts into XML and HTML documents.
  return JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? withoutForbiddenCharacters(value) : value), 4);
}
