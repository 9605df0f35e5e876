// Feeds show any stored title as text (issue 15, findings 6 and 7): random Unicode titles, stored
// straight through storage as texts from before the request check could be, and every feed
// parsed back.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { findEvent } from '../../src/storage/events.js';
import type { Dialect } from '../../src/storage/store.js';
import { buildTestApp } from '../helpers/app.js';
import { DAY } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { databaseOf } from '../../src/storage/database-of.js';

const MARKUP = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', ']]>', ']]>]]>', '<![CDATA[', '</title>', '&', '&amp;', '&lt;', '&#39;', '"', "'", '\r\n', '\r', '\t'];
const code = (min: number, max: number) => fc.integer({ min, max }).map((point) => String.fromCharCode(point));
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(...MARKUP),
  code(0x00, 0x1f),
  code(0xd800, 0xdfff),
  fc.constantFrom('\ufffe', '\uffff', '\u007f', '\u0085'),
);
// PostgreSQL cannot hold U+0000 at all (it refused such titles with a 500); SQLite stored them.
const titleOn = (dialect: Dialect) => fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')).map((text) => (dialect === 'postgres' ? text.replaceAll('\u0000', '') : text));

/** XML 1.0's `Char` (§2.2), written out here as the test's own oracle rather than taken from src/. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

// Values as they are: no trimming, no numbers made of digits.
const parser = new XMLParser({ ignoreAttributes: false, trimValues: false, parseTagValue: false });
/** XML parsers turn CRLF and CR into LF (XML 1.0 §2.11); some do not, so both sides are compared so. */
const lineEnds = (text: string) => text.replace(/\r\n?/g, '\n');

interface Rss {
  rss: { channel: { item: { title: unknown } | { title: unknown }[] } };
}
interface Atom {
  feed: { entry: { title: unknown } | { title: unknown }[] };
}
const first = <T>(items: T | T[]): T | undefined => (Array.isArray(items) ? items[0] : items);

describeEachDatabase('feeds show any stored title as text', (database) => {
  it('parses every feed and reads the title back, less the characters XML forbids', async (t) => {
    const api = await buildTestApp(t);
    let run = 0;
    const get = async (url: string) => {
      const response = await api.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      return response.body;
    };

    await fc.assert(
      fc.asyncProperty(titleOn(database.dialect), async (written) => {
        // A region of each run's own, so that its feeds show this one title and a failure shrinks alone.
        const region = `R${(run += 1)}`;
        const [component] = await createComponents(api.store, { 'Elastic Cloud Server': { region, category: 'Compute', type: 'ecs' } });
        assert.ok(component);
        const id = await createEvent(api.store, { title: written, impact: 1, startAt: api.clock.now - DAY, componentIds: [component.id] });
        // The drivers store text as UTF-8, where a lone surrogate becomes U+FFFD: compare with what was kept.
        const stored = (await findEvent(databaseOf(api.store), id))?.title ?? '';
        const shown = stored.replace(NOT_XML, '');

        for (const url of [`/feeds/rss.xml?region=${region}`, `/rss/?mt=${region}`, `/feeds/atom.xml?region=${region}`]) {
          const body = await get(url);
          assert.equal(XMLValidator.validate(body), true, `${url} is well-formed`);
          assert.equal(body.match(NOT_XML), null, `${url} holds only characters XML allows`);
          assert.ok(!/<(img|script)/.test(body), `${url} carries no markup of the title`);
          const parsed = parser.parse(body) as Rss & Atom;
          const item = url.includes('atom') ? first(parsed.feed.entry) : first(parsed.rss.channel.item);
          // A plain string: Atom without a type attribute, which is text.
          assert.equal(typeof item?.title, 'string', url);
          assert.equal(lineEnds(String(item?.title)), lineEnds(shown), url);
        }
        const json = JSON.parse(await get(`/feeds/feed.json?region=${region}`)) as { items: { title: string }[] };
        assert.equal(json.items[0]?.title, shown);
      }),
      { numRuns: 60 },
    );
  });
});
