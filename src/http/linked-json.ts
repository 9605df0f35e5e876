import { createHash, randomBytes } from 'node:crypto';
import { baseUrl } from './base-url.js';

/**
 * JSON that links to the dashboard, serialised once per state of the data and completed per
 * request: the links follow the request's host unless SD_PUBLIC_URL is set, and a cached answer
 * must not hand one client's Host header to everyone (nor may a cache grow per Host header).
 * The answer is built with placeholders in place of the base URL and the page id, then cut there.
 * A placeholder starts with a secret drawn when the process starts, so no stored text can forge one.
 */
const MARK = `\u{E000}${randomBytes(12).toString('hex')}`;

/** The placeholders to build the answer with: they stand for the base URL (no trailing slash) and the page's id. */
export const LINK_SLOTS = { base: `${MARK}base`, pageId: `${MARK}page` } as const;
type Slot = keyof typeof LINK_SLOTS;

const SLOT_PATTERN = new RegExp(`${MARK}(base|page)`);

/** An answer cut at its placeholders: literal text at even places, the slot at odd ones. */
export type LinkedJson = readonly string[];

export function linkedJson(value: unknown): LinkedJson {
  return JSON.stringify(value)
    .split(SLOT_PATTERN)
    .map((part, index) => (index % 2 === 0 ? part : part === 'base' ? 'base' : 'pageId'));
}

export interface PageLinks {
  base: string;
  pageId: string;
}

/**
 * The base URL and page id of a request: SD_PUBLIC_URL's, or the request's own origin. The id
 * is the first 12 hex digits of the base URL's SHA-256: stable for an install, an id like
 * Statuspage's, different for two dashboards.
 */
export function pageLinksOf(publicUrl: string | undefined, request: { protocol: string; host: string }): PageLinks {
  const base = baseUrl(publicUrl, request);
  if (base !== lastLinks.base) lastLinks = { base, pageId: createHash('sha256').update(base).digest('hex').slice(0, 12) };
  return lastLinks;
}
let lastLinks: PageLinks = { base: '', pageId: '' };

/**
 * The answer's bytes for these links, kept with the answer for the last links it was filled with
 * (nearly always the only ones: SD_PUBLIC_URL's, or the one host readers use), so that the same
 * Buffer, and the compressed forms kept with it, serve every request until the data changes.
 */
export function filledLinkedJson(parts: LinkedJson, links: PageLinks): Buffer {
  const last = filled.get(parts);
  if (last?.links === links) return last.bytes;
  const bytes = Buffer.from(fillLinkedJson(parts, links));
  filled.set(parts, { links, bytes });
  return bytes;
}
const filled = new WeakMap<LinkedJson, { links: PageLinks; bytes: Buffer }>();

function fillLinkedJson(parts: LinkedJson, links: PageLinks): string {
  const escaped: Record<Slot, string> = { base: JSON.stringify(links.base).slice(1, -1), pageId: JSON.stringify(links.pageId).slice(1, -1) };
  return parts.map((part, index) => (index % 2 === 0 ? part : escaped[part as Slot])).join('');
}
