import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { FreshnessSlot, SessionEntry, StaleNote, type SessionView } from '../../web/layout.js';
import { cacheForEveryone, cacheForNoOne } from '../cache-headers.js';
import { sendEncoded } from '../compression.js';
import { sessionViewOf, type ProposalSource } from './session-view.js';

export interface RenderedPage {
  /** UTF-8 encoded once: encoding a 40 kB string on every answer cost more than the rest of it */
  html: Buffer;
  etag: string;
}

/** Renders a page once; the tag lets browsers (and the live-update script) ask "changed?" for a 304. */
export function renderPage<Props>(page: VNode<Props>): RenderedPage {
  const html = Buffer.from(`<!doctype html>${renderToString(page)}`);
  return { html, etag: etagOf(html) };
}

/** A strong tag for bytes rendered once and sent many times. */
export function etagOf(bytes: string | Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`;
}

/**
 * Sends a page that anyone may see: a browser keeps it and revalidates (a status page must never
 * be shown stale; a 304 costs us a version check), a shared cache keeps it a few seconds
 * (cacheForEveryone). A signed-in person gets it with their header, which counts the proposals in
 * `model` that wait for them: that answer is private, and the page varies by Cookie, so no shared
 * cache hands the anonymous page to an operator or an operator's page to anyone.
 */
export function sendPage(request: FastifyRequest, reply: FastifyReply, kept: RenderedPage, model: ProposalSource, statusCode = 200): FastifyReply {
  const page = withFreshness(kept, request.staleAsOf);
  if (request.operator) return sendPrivatePage(request, reply, withOperator(page, sessionViewOf(request.operator, model)), statusCode);
  cacheForEveryone(reply);
  return sendHtml(request, reply, page, statusCode, page !== kept);
}

/**
 * The page in the coding the browser prefers: a kept page's compressed bytes are kept with it, so
 * they are computed once per state of the data; a page completed per request (an operator's
 * header, the stale note) is compressed per request, which only those rare answers pay, and
 * goes uncompressed above 256 kB, where compressing would stall the event loop.
 */
function sendHtml(request: FastifyRequest, reply: FastifyReply, page: RenderedPage, statusCode: number, perRequest: boolean): FastifyReply {
  return sendEncoded(request, reply, { body: page.html, type: 'text/html; charset=utf-8', etag: page.etag, statusCode, perRequest, varyAlso: 'Cookie' });
}

/** Whether the client would rather read a page than JSON (browsers say so in Accept). */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** The menu entry every page kept for everyone carries: the one place a logged-in view differs. */
const ANONYMOUS_ENTRY = Buffer.from(renderToString(h(SessionEntry, { operator: undefined })));
const EMPTY_FRESHNESS = Buffer.from(renderToString(h(FreshnessSlot, {})));

/** A rendered page with one of its per-request parts swapped: the kept bytes are not rendered again. */
function swapped<Props>(page: RenderedPage, part: Buffer, replacement: VNode<Props>): RenderedPage {
  const at = page.html.indexOf(part);
  if (at < 0) return page;
  const html = Buffer.concat([page.html.subarray(0, at), Buffer.from(renderToString(replacement)), page.html.subarray(at + part.length)]);
  return { html, etag: etagOf(html) };
}

/** A page kept for everyone, with the header of the logged-in operator (per request, never kept). */
export function withOperator(page: RenderedPage, operator: SessionView): RenderedPage {
  return swapped(page, ANONYMOUS_ENTRY, h(SessionEntry, { operator }));
}

/** A page read from memory while the database is away says so, and as of when. */
function withFreshness(page: RenderedPage, staleAsOf: number | undefined): RenderedPage {
  return staleAsOf === undefined ? page : swapped(page, EMPTY_FRESHNESS, h(StaleNote, { asOf: staleAsOf }));
}

/** A page for one person (a session, a form with its token): no shared or stored copy anywhere. */
export function sendPrivatePage(request: FastifyRequest, reply: FastifyReply, kept: RenderedPage, statusCode = 200): FastifyReply {
  const page = withFreshness(kept, request.staleAsOf);
  cacheForNoOne(reply);
  return sendHtml(request, reply, page, statusCode, true);
}
