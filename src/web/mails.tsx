import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { changeLines, notificationTitle, type Notification } from '../domain/notifications/message.js';

/** A mail as it goes out: both parts say the same (issue 18: every mail has a text and an HTML part). */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** The links every subscriber's mail carries. */
export interface SubscriberLinks {
  /** change what the address receives */
  manage: string;
  /** the one-click unsubscribe (RFC 8058): its GET shows a button, its POST unsubscribes */
  unsubscribe: string;
}

const SAFE_STYLE = 'font-family: system-ui, sans-serif; font-size: 15px; line-height: 1.5; color: #1a1a1a; max-width: 40em';

function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body style={SAFE_STYLE}>{children}</body>
    </html>
  );
}

const html = (node: preact.VNode) => `<!doctype html>${renderToString(node)}`;

function Footer({ site, links }: { site: string; links: SubscriberLinks }) {
  return (
    <p style="font-size: 13px; color: #555; border-top: 1px solid #ddd; padding-top: 0.5em; margin-top: 2em">
      You receive this because your address is subscribed to {site}. <a href={links.manage}>Change what you receive</a> ·{' '}
      <a href={links.unsubscribe}>Unsubscribe</a>
    </p>
  );
}

const textFooter = (site: string, links: SubscriberLinks) =>
  `\n--\nYou receive this because your address is subscribed to ${site}.\nChange what you receive: ${links.manage}\nUnsubscribe: ${links.unsubscribe}\n`;

/** News of an event: its title and state, what changed, and its page. */
export function notificationMail(notification: Notification, site: string, links: SubscriberLinks): MailContent {
  const subject = notificationTitle(notification);
  const lines = changeLines(notification);
  const text = `${subject}\n\n${lines.join('\n')}\n\nDetails: ${notification.url}\n${textFooter(site, links)}`;
  return {
    subject,
    text,
    html: html(
      <Page title={subject}>
        <h1 style="font-size: 18px">
          <a href={notification.url}>{subject}</a>
        </h1>
        <ul>
          {lines.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
        <p>
          <a href={notification.url}>Open the details</a>
        </p>
        <Footer site={site} links={links} />
      </Page>,
    ),
  };
}

/** The one mail an unconfirmed address gets: confirm, or ignore it and hear nothing more. */
export function confirmationMail(site: string, scope: string, confirmUrl: string, hoursValid: number): MailContent {
  const subject = `Confirm your subscription to ${site}`;
  const ignore = 'If you did not ask for this, ignore this mail: nothing more will be sent to this address.';
  return {
    subject,
    text: `Please confirm that you want to hear of this on ${site}:\n\n  ${scope}\n\nConfirm: ${confirmUrl}\n(The link works for ${hoursValid} hours.)\n\n${ignore}\n`,
    html: html(
      <Page title={subject}>
        <p>Please confirm that you want to hear of this on {site}:</p>
        <p>
          <strong>{scope}</strong>
        </p>
        <p>
          <a href={confirmUrl}>Confirm the subscription</a> (the link works for {hoursValid} hours).
        </p>
        <p style="color: #555">{ignore}</p>
      </Page>,
    ),
  };
}

/** What an address that is subscribed already gets when someone asks to subscribe it: its own links. */
export function alreadySubscribedMail(site: string, scope: string, links: SubscriberLinks): MailContent {
  const subject = `Your subscription to ${site}`;
  const note = 'Someone asked to subscribe this address, which is subscribed already. Nothing has changed.';
  return {
    subject,
    text: `${note}\n\nIt receives: ${scope}\n${textFooter(site, links)}`,
    html: html(
      <Page title={subject}>
        <p>{note}</p>
        <p>
          It receives: <strong>{scope}</strong>
        </p>
        <Footer site={site} links={links} />
      </Page>,
    ),
  };
}
