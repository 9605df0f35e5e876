/**
 * The capacity scenario (issue 19, item 6): how many readers with a page open one instance
 * carries. An open page asks for itself again every LIVE_POLL_SECONDS (public/app.js), as a
 * browser sends it: Accept text/html, every coding a browser accepts, and the tag of what it has,
 * so an unchanged page costs a 304 and a changed one its compressed bytes. Both are measured,
 * closed loop: readers = answers per second × the poll interval. A CDN in front revalidates each
 * address once per its max-age, whatever the number of readers (docs/capacity.md).
 */
import type { Dialect, Store } from '../src/storage/store.js';
import type { ScenarioContext } from './context.js';
import type { Measured } from './load-generator.js';
import { untilCompressed } from './reads.js';
import { describeReaders } from './report.js';
import { startOurServer } from './server.js';

/** public/app.js's LIVE_INTERVAL_MS, in seconds (test/bench/capacity.test.ts holds them together) */
export const LIVE_POLL_SECONDS = 5;

/** What Chromium sends with the live update's fetch (public/app.js): no cookie for a reader. */
export const BROWSER_HEADERS = { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br, zstd' } as const;

/** The pages readers keep open in an outage: the overview, and the incident they follow. */
const OPEN_PAGES: readonly ((ids: { event: number | undefined }) => string | undefined)[] = [() => '/', ({ event }) => (event === undefined ? undefined : `/incidents/${event}`)];

/** Each open page twice: unchanged since the last poll (a 304), and changed at every poll (the page, compressed). */
export async function capacityScenario(store: Store, dialect: Dialect, history: number, context: ScenarioContext): Promise<void> {
  const { options, generator } = context;
  const ours = await startOurServer(store, context.secretKey);
  try {
    const event = Math.min(...ours.readModel.events.keys());
    for (const page of OPEN_PAGES) {
      const path = page({ event: Number.isFinite(event) ? event : undefined });
      if (path === undefined) continue;
      const first = await settledGet(`${ours.url}${path}`);
      for (const unchanged of [true, false]) {
        const headers: Record<string, string> = { ...BROWSER_HEADERS, ...(unchanged ? { 'if-none-match': first.etag } : {}) };
        const measured: Measured = await generator.run({ url: `${ours.url}${path}`, method: 'GET', connections: options.connections, duration: options.duration, warmup: options.warmup, headers });
        const { line, row } = describeReaders({ database: dialect, history, path, unchanged, coding: first.coding, bytes: unchanged ? 0 : first.bytes, connections: options.connections, measured, pollSeconds: LIVE_POLL_SECONDS });
        context.log(line);
        context.part.rows.push(row);
      }
    }
  } finally {
    await ours.close();
  }
}

/**
 * The page as a reader's browser holds it once its compressed bytes exist (brotli: a browser's
 * first choice): a tag taken while a large page still went uncompressed would never match again,
 * and every "unchanged" poll would get the whole page.
 */
async function settledGet(url: string): Promise<{ etag: string; coding: string; bytes: number }> {
  const response = await untilCompressed(url, BROWSER_HEADERS, 'br');
  if (response.etag === undefined) throw new Error(`GET ${url}: no ETag`);
  return { etag: response.etag, coding: response.encoding ?? 'identity', bytes: response.body.length };
}
