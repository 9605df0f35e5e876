import { SYSTEM_STATUS, type EventRef } from './event.js';
import { impactKey, type IncidentImpact } from './impact.js';

export interface EventLink {
  ref: EventRef;
  title: string;
}

/** A timeline entry the server writes, kept structured until the ids of new events are known. */
export type Message =
  | { kind: 'added'; component: string; toTitle: string }
  /** the Go back end's wording of `added` */
  | { kind: 'added-by-system'; component: string }
  | { kind: 'moved-from'; component: string; from: EventLink }
  /** `closes`: the Go back end's single entry for a move that empties and closes the incident */
  | { kind: 'moved-to'; component: string; to: EventLink; closes?: true }
  | { kind: 'closed-by-system' }
  /** `numeric`: the Go back end writes the levels, the Python dashboard the names */
  | { kind: 'impact-changed'; from: IncidentImpact; to: IncidentImpact; numeric?: true };

/**
 * The exact texts of reference v1 §2.4–§2.5. They are HTML (the links), so every piece of user
 * text in them is escaped (spec §2.2; the reference's stored-XSS bug B7).
 */
export function renderMessage(message: Message, resolveId: (ref: EventRef) => number): string {
  const link = ({ ref, title }: EventLink) => `<a href='/incidents/${resolveId(ref)}'>${escapeHtml(title)}</a>`;
  switch (message.kind) {
    case 'added':
      return `${escapeHtml(message.component)} added to ${escapeHtml(message.toTitle)}`;
    case 'moved-from':
      return `${escapeHtml(message.component)} moved from ${link(message.from)}`;
    case 'added-by-system':
      return `${escapeHtml(message.component)} added to the incident by system.`;
    case 'moved-to':
      return `${escapeHtml(message.component)} moved to ${link(message.to)}${message.closes ? ', Incident closed by system' : ''}`;
    case 'closed-by-system':
      return 'CLOSED BY SYSTEM';
    case 'impact-changed':
      return message.numeric
        ? `impact changed from ${message.from} to ${message.to}`
        : `impact changed from ${impactKey(message.from)} to ${impactKey(message.to)}`;
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const GENERATED_LINK = /<a href='\/incidents\/\d+'>|<\/a>/g;

/**
 * A timeline entry as HTML. Texts the server generated (status SYSTEM) are HTML already, with
 * every piece of user text escaped; they are passed through only while they still have exactly
 * that form (a later edit could have put anything there). Everything else is text, escaped.
 */
export function updateTextHtml(update: { status: string; text: string }): string {
  if (update.status === SYSTEM_STATUS && !/[<>"']/.test(update.text.replace(GENERATED_LINK, ''))) return update.text;
  return escapeHtml(update.text);
}
