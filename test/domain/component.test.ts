// The component matching rule of reference v1 §2.6 and the label of §2.4.1 step 5.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attributeMap,
  attributeValue,
  componentLabel,
  findMatchingComponent,
  hasAttributes,
  type Attribute,
  type Component,
} from '../../src/domain/component.js';

const attrs = (pairs: Record<string, string>): Attribute[] => Object.entries(pairs).map(([name, value]) => ({ name, value }));
const component = (id: number, name: string, pairs: Record<string, string> = {}): Component => ({ id, name, attributes: attrs(pairs) });
const wanted = (pairs: Record<string, string> = {}): Map<string, string> => new Map(Object.entries(pairs));

// Fixture F-COMP of reference v1 §8.2.
const CMP1 = component(1, 'cmp1', { a1: 'v1', a2: 'v2' });
const CMP2 = component(2, 'cmp2', { a1: 'v1' });
const F_COMP = [CMP1, CMP2];

describe('findMatchingComponent: reference v1 §2.6 examples', () => {
  const cases: { name: string; lookup: Record<string, string>; expected: Component | undefined }[] = [
    { name: 'cmp1', lookup: { a1: 'v1' }, expected: CMP1 },
    { name: 'cmp1', lookup: { a1: 'v2' }, expected: undefined },
    { name: 'cmp2', lookup: { a2: 'v2' }, expected: undefined },
    { name: 'cmp1', lookup: { a1: 'v1', a2: 'v2' }, expected: CMP1 },
    { name: 'cmp1', lookup: { a2: 'v2', a1: 'v1' }, expected: CMP1 },
    { name: 'cmp2', lookup: { a1: 'v1' }, expected: CMP2 },
    { name: 'cmp2', lookup: { a1: 'v1', a2: 'v2' }, expected: undefined },
    { name: 'cmp1', lookup: { a3: 'v1' }, expected: undefined },
    { name: 'cmp1', lookup: { a1: 'V1' }, expected: undefined },
    { name: 'cmp', lookup: {}, expected: undefined },
    { name: 'CMP1', lookup: {}, expected: undefined },
    { name: 'cmp1 ', lookup: {}, expected: undefined },
    { name: 'cmp3', lookup: {}, expected: undefined },
  ];
  for (const { name, lookup, expected } of cases) {
    it(`returns ${expected ? expected.name : 'nothing'} for (${JSON.stringify(name)}, ${JSON.stringify(lookup)})`, () => {
      assert.equal(findMatchingComponent(F_COMP, name, wanted(lookup)), expected);
    });
  }
});

describe('findMatchingComponent: several components with one name', () => {
  const euDe = component(4, 'Compute', { region: 'EU-DE', category: 'Compute' });
  const euNl = component(2, 'Compute', { region: 'EU-NL', category: 'Compute' });
  const euDe2 = component(9, 'Compute', { region: 'EU-DE', category: 'Compute', type: 'ecs' });
  const other = component(1, 'Storage', { region: 'EU-DE' });

  it('returns the first component by id with that name when the wanted map is empty', () => {
    assert.equal(findMatchingComponent([euDe, euDe2, euNl, other], 'Compute', wanted()), euNl);
  });

  it('returns the lowest-id match when several components match, whatever the input order', () => {
    assert.equal(findMatchingComponent([euDe2, euNl, euDe], 'Compute', wanted({ region: 'EU-DE' })), euDe);
    assert.equal(findMatchingComponent([euDe, euNl, euDe2], 'Compute', wanted({ region: 'EU-DE' })), euDe);
  });

  it('returns a higher-id component when the lower-id ones with that name do not match', () => {
    assert.equal(findMatchingComponent([euNl, euDe, euDe2], 'Compute', wanted({ type: 'ecs' })), euDe2);
  });

  it('returns the region the lookup asks for', () => {
    assert.equal(findMatchingComponent([euDe, euNl], 'Compute', wanted({ region: 'EU-NL' })), euNl);
  });

  it('returns nothing from an empty list', () => {
    assert.equal(findMatchingComponent([], 'Compute', wanted()), undefined);
  });

  it('accepts any iterable, such as a generator', () => {
    function* all() {
      yield euDe;
      yield euNl;
    }
    assert.equal(findMatchingComponent(all(), 'Compute', wanted({ category: 'Compute' })), euNl);
  });
});

describe('hasAttributes', () => {
  it('returns true for an empty wanted map, even on a component without attributes', () => {
    assert.equal(hasAttributes(component(1, 'x'), wanted()), true);
  });

  it('returns false when a key is present with another value', () => {
    assert.equal(hasAttributes(CMP1, wanted({ a2: 'v1' })), false);
  });
});

describe('componentLabel', () => {
  const cases: { component: Component; expected: string }[] = [
    { component: CMP1, expected: 'cmp1 (v1, v2)' },
    { component: CMP2, expected: 'cmp2 (v1)' },
    { component: component(3, 'name'), expected: 'name ()' },
    { component: component(4, 'Compute', { region: 'EU-DE', category: 'Compute' }), expected: 'Compute (EU-DE, Compute)' },
    { component: component(5, 'Compute', { category: 'Compute', region: 'EU-DE' }), expected: 'Compute (Compute, EU-DE)' },
    {
      component: { id: 6, name: 'dup', attributes: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] },
      expected: 'dup (1, 2)',
    },
  ];
  for (const { component: c, expected } of cases) {
    it(`returns '${expected}' for ${c.name} with attributes ${JSON.stringify(c.attributes)} (values in attribute order)`, () => {
      assert.equal(componentLabel(c), expected);
    });
  }
});

describe('attributeMap', () => {
  it('maps the attribute list to a map in list order', () => {
    assert.deepEqual([...attributeMap(CMP1.attributes)], [
      ['a1', 'v1'],
      ['a2', 'v2'],
    ]);
  });

  it('keeps the later value when a key is repeated (the reference list-to-dict mapping)', () => {
    const map = attributeMap([
      { name: 'region', value: 'EU-DE' },
      { name: 'type', value: 'ecs' },
      { name: 'region', value: 'EU-NL' },
    ]);
    assert.equal(map.get('region'), 'EU-NL');
    assert.equal(map.size, 2);
  });

  it('returns an empty map for no attributes', () => {
    assert.equal(attributeMap([]).size, 0);
  });

  it('feeds findMatchingComponent so a repeated key matches on its later value', () => {
    const nl = component(1, 'Compute', { region: 'EU-NL' });
    const map = attributeMap([
      { name: 'region', value: 'EU-DE' },
      { name: 'region', value: 'EU-NL' },
    ]);
    assert.equal(findMatchingComponent([nl], 'Compute', map), nl);
  });
});

describe('attributeValue', () => {
  it('returns the value of the named attribute', () => {
    assert.equal(attributeValue(CMP1, 'a2'), 'v2');
  });

  it('returns undefined for a missing attribute', () => {
    assert.equal(attributeValue(CMP2, 'a2'), undefined);
  });
});
