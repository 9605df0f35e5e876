// The generated timeline texts of reference v1 §2.4.1 step 10 and §2.5, escaped (spec §2.2, bug B7).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRef } from '../../src/domain/event.js';
import { escapeHtml, renderMessage, updateTextHtml, type Message } from '../../src/domain/texts.js';

const NEW_ID = 42;

/** Resolves refs as storage does once the new incident has its id, and records every call. */
function resolver(): { resolveId: (ref: EventRef) => number; calls: EventRef[] } {
  const calls: EventRef[] = [];
  return {
    calls,
    resolveId: (ref) => {
      calls.push(ref);
      return ref === 'new' ? NEW_ID : ref.id;
    },
  };
}

const render = (message: Message) => renderMessage(message, resolver().resolveId);

describe('escapeHtml', () => {
  const cases: { input: string; expected: string }[] = [
    { input: '', expected: '' },
    { input: 'API INCIDENT 1', expected: 'API INCIDENT 1' },
    { input: '&', expected: '&amp;' },
    { input: '<', expected: '&lt;' },
    { input: '>', expected: '&gt;' },
    { input: '"', expected: '&quot;' },
    { input: "'", expected: '&#39;' },
    { input: '<script>alert("x")</script>', expected: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' },
    { input: "it's <b>bold</b> & \"quoted\"", expected: 'it&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;' },
    { input: '&amp;', expected: '&amp;amp;' },
    { input: 'Überlast – 50% · ☁', expected: 'Überlast – 50% · ☁' },
  ];
  for (const { input, expected } of cases) {
    it(`returns ${JSON.stringify(expected)} for ${JSON.stringify(input)}`, () => {
      assert.equal(escapeHtml(input), expected);
    });
  }
});

describe('renderMessage: exact reference texts', () => {
  const cases: { name: string; message: Message; expected: string }[] = [
    {
      name: "'added' names the component label and the plain title",
      message: { kind: 'added', component: 'cmp2 (v1)', toTitle: 'inc' },
      expected: 'cmp2 (v1) added to inc',
    },
    {
      name: "'moved-from' links the source incident with single quotes",
      message: { kind: 'moved-from', component: 'cmp1 (v1, v2)', from: { ref: { id: 7 }, title: 'API INCIDENT 1' } },
      expected: "cmp1 (v1, v2) moved from <a href='/incidents/7'>API INCIDENT 1</a>",
    },
    {
      name: "'moved-to' links the destination incident with single quotes",
      message: { kind: 'moved-to', component: 'cmp1 (v1, v2)', to: { ref: { id: 8 }, title: 'API INCIDENT 2' } },
      expected: "cmp1 (v1, v2) moved to <a href='/incidents/8'>API INCIDENT 2</a>",
    },
    {
      name: "'moved-to' a new incident links the id resolved for 'new'",
      message: { kind: 'moved-to', component: 'Compute (EU-DE, Compute)', to: { ref: 'new', title: 'Incident' } },
      expected: "Compute (EU-DE, Compute) moved to <a href='/incidents/42'>Incident</a>",
    },
    {
      name: "'closed-by-system' is the fixed text",
      message: { kind: 'closed-by-system' },
      expected: 'CLOSED BY SYSTEM',
    },
    {
      name: "'impact-changed' from 1 to 2 uses the impact keys",
      message: { kind: 'impact-changed', from: 1, to: 2 },
      expected: 'impact changed from minor to major',
    },
    {
      name: "'impact-changed' from 1 to 3 uses the impact keys",
      message: { kind: 'impact-changed', from: 1, to: 3 },
      expected: 'impact changed from minor to outage',
    },
    {
      name: "'impact-changed' from 2 to 3 uses the impact keys",
      message: { kind: 'impact-changed', from: 2, to: 3 },
      expected: 'impact changed from major to outage',
    },
    {
      name: "'added' with a component without attributes keeps the empty parentheses",
      message: { kind: 'added', component: 'cmp3 ()', toTitle: 'inc' },
      expected: 'cmp3 () added to inc',
    },
  ];
  for (const { name, message, expected } of cases) {
    it(`${name}: ${JSON.stringify(expected)}`, () => {
      assert.equal(render(message), expected);
    });
  }
});

describe('renderMessage: escaping of user text (spec §2.2, reference bug B7)', () => {
  const hostileTitle = `<script>alert("x")</script>`;
  const escapedTitle = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
  const hostileLabel = `<b onclick='x'>cmp</b> ("v1")`;
  const escapedLabel = '&lt;b onclick=&#39;x&#39;&gt;cmp&lt;/b&gt; (&quot;v1&quot;)';

  const cases: { name: string; message: Message; expected: string }[] = [
    {
      name: "escapes a <script> title inside the 'moved-from' link",
      message: { kind: 'moved-from', component: 'cmp1 (v1, v2)', from: { ref: { id: 7 }, title: hostileTitle } },
      expected: `cmp1 (v1, v2) moved from <a href='/incidents/7'>${escapedTitle}</a>`,
    },
    {
      name: "escapes a <script> title inside the 'moved-to' link",
      message: { kind: 'moved-to', component: 'cmp1 (v1, v2)', to: { ref: { id: 8 }, title: hostileTitle } },
      expected: `cmp1 (v1, v2) moved to <a href='/incidents/8'>${escapedTitle}</a>`,
    },
    {
      name: "escapes a title with quotes and an ampersand in the 'moved-to' link",
      message: { kind: 'moved-to', component: 'cmp1 (v1, v2)', to: { ref: { id: 8 }, title: `Bob's "fix" & more` } },
      expected: "cmp1 (v1, v2) moved to <a href='/incidents/8'>Bob&#39;s &quot;fix&quot; &amp; more</a>",
    },
    {
      name: "escapes the plain title of 'added'",
      message: { kind: 'added', component: 'cmp2 (v1)', toTitle: hostileTitle },
      expected: `cmp2 (v1) added to ${escapedTitle}`,
    },
    {
      name: "escapes the component label of 'added'",
      message: { kind: 'added', component: hostileLabel, toTitle: 'inc' },
      expected: `${escapedLabel} added to inc`,
    },
    {
      name: "escapes the component label of 'moved-from'",
      message: { kind: 'moved-from', component: hostileLabel, from: { ref: { id: 7 }, title: 'inc' } },
      expected: `${escapedLabel} moved from <a href='/incidents/7'>inc</a>`,
    },
    {
      name: "escapes the component label of 'moved-to'",
      message: { kind: 'moved-to', component: hostileLabel, to: { ref: 'new', title: 'inc' } },
      expected: `${escapedLabel} moved to <a href='/incidents/42'>inc</a>`,
    },
  ];
  for (const { name, message, expected } of cases) {
    it(`${name}`, () => {
      const text = render(message);
      assert.equal(text, expected);
      assert.doesNotMatch(text, /<script|<b /);
    });
  }
});

describe('renderMessage: resolving event references', () => {
  it("calls resolveId with 'new' for a link to the incident being opened and uses the id it returns", () => {
    const { resolveId, calls } = resolver();
    const text = renderMessage({ kind: 'moved-to', component: 'cmp1 (v1, v2)', to: { ref: 'new', title: 'Incident' } }, resolveId);
    assert.deepEqual(calls, ['new']);
    assert.equal(text, "cmp1 (v1, v2) moved to <a href='/incidents/42'>Incident</a>");
  });

  it('calls resolveId with the ref of an existing event and uses the id it returns', () => {
    const calls: EventRef[] = [];
    const text = renderMessage(
      { kind: 'moved-from', component: 'cmp1 (v1, v2)', from: { ref: { id: 7 }, title: 'API INCIDENT 1' } },
      (ref) => {
        calls.push(ref);
        return 1007;
      },
    );
    assert.deepEqual(calls, [{ id: 7 }]);
    assert.equal(text, "cmp1 (v1, v2) moved from <a href='/incidents/1007'>API INCIDENT 1</a>");
  });

  const withoutLinks: Message[] = [
    { kind: 'added', component: 'cmp2 (v1)', toTitle: 'inc' },
    { kind: 'closed-by-system' },
    { kind: 'impact-changed', from: 1, to: 3 },
  ];
  for (const message of withoutLinks) {
    it(`does not call resolveId for a '${message.kind}' text, which has no link`, () => {
      const { resolveId, calls } = resolver();
      renderMessage(message, resolveId);
      assert.deepEqual(calls, []);
    });
  }
});

describe('updateTextHtml', () => {
  it('passes generated texts through, links and escaped titles included', () => {
    const text = "cmp1 (v1) moved to <a href='/incidents/7'>&lt;b&gt;API&lt;/b&gt;</a>";
    assert.equal(updateTextHtml({ status: 'SYSTEM', text }), text);
    assert.equal(updateTextHtml({ status: 'SYSTEM', text: 'CLOSED BY SYSTEM' }), 'CLOSED BY SYSTEM');
  });

  it('escapes a generated text that no longer has the generated form', () => {
    assert.equal(
      updateTextHtml({ status: 'SYSTEM', text: "<a href='javascript:alert(1)'>x</a>" }),
      '&lt;a href=&#39;javascript:alert(1)&#39;&gt;x&lt;/a&gt;',
    );
    assert.equal(updateTextHtml({ status: 'SYSTEM', text: "<a href='/incidents/1'><img src=x onerror=alert(1)></a>" }).includes('<img'), false);
  });

  it('escapes every text people wrote', () => {
    assert.equal(updateTextHtml({ status: 'analyzing', text: "<a href='/incidents/1'>x</a>" }), '&lt;a href=&#39;/incidents/1&#39;&gt;x&lt;/a&gt;');
  });
});

