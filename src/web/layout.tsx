import type { ComponentChildren } from 'preact';
import type { Assets } from './assets.js';
import { IconSprite, Time } from './parts.js';
import type { SiteSettings } from './site.js';
import type { Role } from '../domain/roles.js';

export interface PageContext {
  site: SiteSettings;
  assets: Assets;
  /** email subscriptions are on (SMTP is configured): the public pages offer "Subscribe" */
  subscribe?: boolean;
}

export interface FeedLink {
  title: string;
  /** the query of /feeds/…, e.g. "?region=EU-DE", or "" for everything */
  query: string;
}

interface LayoutProps {
  context: PageContext;
  /** the page's own name; the front page has none */
  title?: string;
  /** which menu entry is the current page */
  section: 'status' | 'history' | 'availability' | 'event' | 'login' | 'operator' | 'subscription';
  /** who is logged in; pages kept for everyone leave it out and get it per request (see send-page) */
  operator?: SessionView | undefined;
  feed?: FeedLink;
  /** the page script keeps the page current (front page, open events) */
  live?: boolean;
  /** wide tables (availability) get the width of large screens */
  wide?: boolean;
  children: ComponentChildren;
}

const MENU = [
  { section: 'status', href: '/', label: 'Current status' },
  { section: 'history', href: '/history', label: 'History' },
  { section: 'availability', href: '/availability', label: 'Availability' },
] as const;

/** What the header shows of a session: the name, and the token its logout form echoes back. */
export interface SessionView {
  name: string;
  csrf: string;
  /** the actor id (roles.ts): whose proposals are theirs */
  subject: string;
  role: Role;
  /** maintenances pending review that wait for this person: every one for operators and admins, their own for creators */
  reviews: number;
}

/**
 * The menu's last entry: "Log in", or who is logged in, what waits for them, and a logout button
 * (a form: logging out changes state). Creators propose and follow their proposals; the audit log,
 * the email subscribers and the webhooks are for operators and admins.
 */
export function SessionEntry({ operator }: { operator?: SessionView | undefined }) {
  if (!operator) {
    return (
      <li class="session">
        <a href="/login">Log in</a>
      </li>
    );
  }
  const reviewer = operator.role !== 'creator';
  return (
    <li class="session">
      {reviewer ? (
        <>
          <a href="/incidents">Open an event</a> · <a href="/reviews">Reviews ({operator.reviews})</a> · <a href="/audit">Audit log</a> · <a href="/subscribers">Subscribers</a> · <a href="/webhooks">Webhooks</a>
        </>
      ) : (
        <>
          <a href="/incidents">Propose a maintenance</a> · <a href="/reviews">Your proposals ({operator.reviews})</a>
        </>
      )}{' '}
      · <span>Logged in as {operator.name}</span> ·{' '}
      <form method="post" action="/logout">
        <input type="hidden" name="csrf" value={operator.csrf} />
        <button type="submit">Log out</button>
      </form>
    </li>
  );
}

/**
 * Where a page kept for everyone says, per request, that the database cannot be reached (see
 * send-page): empty while the state is current. In `main`, so the live updates show and clear it.
 */
export function FreshnessSlot() {
  return <div id="freshness" />;
}

/** The note of a page answered from memory while the database is away (spec §8). */
export function StaleNote({ asOf }: { asOf: number }) {
  return (
    <div id="freshness" class="stale-note" role="status">
      <strong>
        Status as of <Time at={asOf} />; live updates paused.
      </strong>{' '}
      This server cannot reach its database right now, so this page shows the last state it knows. It will update by itself once the database is back.
    </div>
  );
}

/** Every page's frame: header with the menu, the main part, feeds in the footer. */
export function Layout({ context: { site, assets }, title, section, feed = { title: 'All events', query: '' }, live = false, wide = false, operator, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title ? `${title} | ${site.title}` : site.title}</title>
        <link rel="stylesheet" href={assets.urls.style} />
        <link rel="icon" href={assets.urls.logo} />
        <link rel="alternate" type="application/atom+xml" title={`${feed.title} (Atom)`} href={`/feeds/atom.xml${feed.query}`} />
        <link rel="alternate" type="application/rss+xml" title={`${feed.title} (RSS)`} href={`/feeds/rss.xml${feed.query}`} />
        <link rel="alternate" type="application/feed+json" title={`${feed.title} (JSON Feed)`} href={`/feeds/feed.json${feed.query}`} />
        <script src={assets.urls.script} defer />
      </head>
      <body data-live={live ? 'on' : undefined}>
        <IconSprite />
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="bar">
            <a class="brand" href="/">
              <img src={assets.urls.logo} alt="" width="32" height="32" />
              <span>{site.title}</span>
            </a>
            <nav aria-label="Main">
              <ul>
                {MENU.map((entry) => (
                  <li>
                    <a href={entry.href} aria-current={entry.section === section ? 'page' : undefined}>
                      {entry.label}
                    </a>
                  </li>
                ))}
                <SessionEntry operator={operator} />
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1} class={wide ? 'wide' : undefined}>
          <FreshnessSlot />
          {children}
        </main>
        <div id="live-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
        <footer class="site-footer">
          <p>
            Subscribe to {feed.title === 'All events' ? 'all events' : feed.title}: <a href={`/feeds/atom.xml${feed.query}`}>Atom</a> · <a href={`/feeds/rss.xml${feed.query}`}>RSS</a> ·{' '}
            <a href={`/feeds/feed.json${feed.query}`}>JSON Feed</a> · <a href="/api/docs">API</a> · <a href="/badge.svg">Status badge</a>
          </p>
          <p>Times are shown in UTC until your browser shows them in your own time zone.</p>
        </footer>
      </body>
    </html>
  );
}
