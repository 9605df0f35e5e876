// The SVG status badge: a pure rendering of a label, a message and a state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { STATES, STATE_LABELS } from '../../src/domain/status-overview.js';
import { LABEL_COLOUR, STATE_COLOURS, renderBadge, stateBadge, textWidth } from '../../src/web/badge.js';

const widthOf = (svg: string) => Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);

function contrastWithWhite(hex: string): number {
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe('status badge', () => {
  it('grows with its texts, wide letters more than narrow ones', () => {
    const short = stateBadge('EU', 'operational');
    const long = stateBadge('EU-DE Elastic Cloud Server', 'operational');
    assert.ok(widthOf(long) > widthOf(short) + 100, `${widthOf(long)} vs ${widthOf(short)}`);
    assert.ok(textWidth('WWWW') > textWidth('iiii') * 2);
    assert.ok(widthOf(stateBadge('x', 'minor')) > widthOf(stateBadge('x', 'outage')), '"Minor issue" is longer than "Outage"');
    // about as wide as shields.io draws it: "build | passing" is 88 px there
    const build = widthOf(renderBadge({ label: 'build', message: 'passing', state: 'operational' }));
    assert.ok(build >= 80 && build <= 96, `build|passing is ${build} px`);
  });

  it('colours the message by state, each readable under white text (WCAG AA)', () => {
    const colours = new Set<string>();
    for (const state of STATES) {
      const svg = stateBadge('Cloud', state);
      assert.ok(svg.includes(`fill="${STATE_COLOURS[state]}"`), state);
      assert.ok(svg.includes(`>${STATE_LABELS[state]}</text>`), state);
      assert.ok(contrastWithWhite(STATE_COLOURS[state]) >= 4.5, `${state}: ${contrastWithWhite(STATE_COLOURS[state]).toFixed(2)}`);
      colours.add(STATE_COLOURS[state]);
    }
    assert.equal(colours.size, STATES.length, 'every state has its own colour');
    assert.ok(contrastWithWhite(LABEL_COLOUR) >= 4.5);
  });

  it('is accessible: role, aria-label and title say "label: message"', () => {
    const svg = stateBadge('EU-DE', 'outage');
    assert.match(svg, /^<svg [^>]*role="img"/);
    assert.match(svg, /^<svg [^>]*aria-label="EU-DE: Outage"/);
    assert.ok(svg.includes('<title>EU-DE: Outage</title>'));
  });

  it('escapes markup and quotes, and parses as XML', () => {
    const svg = renderBadge({ label: `<script>&"'`, message: 'a<b>', state: 'major' });
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;&amp;&quot;&#39;'));
    assert.ok(svg.includes('aria-label="&lt;script&gt;&amp;&quot;&#39;: a&lt;b&gt;"'));
    assert.equal(XMLValidator.validate(svg), true);
    const decoded = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(svg) as { svg: { title: string; '@_aria-label': string } };
    assert.equal(decoded.svg.title, `<script>&"': a<b>`);
    assert.equal(decoded.svg['@_aria-label'], `<script>&"': a<b>`);
  });

  it('stays well-formed XML with control characters and lone surrogates', () => {
    const svg = stateBadge('a\u0001b\uD800c', 'operational');
    assert.equal(XMLValidator.validate(svg), true);
    assert.ok(svg.includes('a\uFFFDb\uFFFDc'));
  });
});
