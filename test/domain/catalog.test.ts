// The catalog format of reference v1 §8.5 (spec §1), parsed without I/O.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogError, parseCatalog, type CatalogComponent } from '../../src/domain/catalog.js';

// app/tests/config/catalog.yaml of the reference, as listed in its §8.5.
const REFERENCE_CATALOG = `components:
  - name: Component11
    attributes:
      region: Region1
      category: Cat1
  - name: Component12
    attributes:
      region: Region1
      category: Cat1
  - name: Component13
    attributes:
      region: Region1
      category: Cat1
  - name: Component21
    attributes:
      region: Region1
      category: Cat2
  - name: Component22
    attributes:
      region: Region1
      category: Cat2
  - name: Component23
    attributes:
      region: Region1
      category: Cat2
  - name: Component31
    attributes:
      region: Region1
      category: Cat3
  - name: Component32
    attributes:
      region: Region1
      category: Cat3
  - name: Component33
    attributes:
      region: Region2
      category: Cat3
  - name: Component31
    attributes:
      region: Region2
      category: Cat4
  - name: Component32
    attributes:
      region: Region2
      category: Cat4
  - name: Component33
    attributes:
      region: Region2
      category: Cat4
`;

const entry = (name: string, region: string, category: string): CatalogComponent => ({
  name,
  attributes: [
    { name: 'region', value: region },
    { name: 'category', value: category },
  ],
});

describe('parseCatalog: valid catalogs', () => {
  it('parses the 12 components of the reference §8.5 catalog in file order', () => {
    assert.deepEqual(parseCatalog(REFERENCE_CATALOG), [
      entry('Component11', 'Region1', 'Cat1'),
      entry('Component12', 'Region1', 'Cat1'),
      entry('Component13', 'Region1', 'Cat1'),
      entry('Component21', 'Region1', 'Cat2'),
      entry('Component22', 'Region1', 'Cat2'),
      entry('Component23', 'Region1', 'Cat2'),
      entry('Component31', 'Region1', 'Cat3'),
      entry('Component32', 'Region1', 'Cat3'),
      entry('Component33', 'Region2', 'Cat3'),
      entry('Component31', 'Region2', 'Cat4'),
      entry('Component32', 'Region2', 'Cat4'),
      entry('Component33', 'Region2', 'Cat4'),
    ]);
  });

  it('parses the flow-mapping style of the example catalog', () => {
    const text = 'components:\n  - name: Elastic Cloud Server\n    attributes: {region: EU-DE, category: Compute, type: ecs}\n';
    assert.deepEqual(parseCatalog(text), [
      {
        name: 'Elastic Cloud Server',
        attributes: [
          { name: 'region', value: 'EU-DE' },
          { name: 'category', value: 'Compute' },
          { name: 'type', value: 'ecs' },
        ],
      },
    ]);
  });

  it('keeps the attribute order written, not an alphabetical one', () => {
    const text = 'components:\n  - name: X\n    attributes:\n      type: ecs\n      region: EU-DE\n      category: Compute\n';
    assert.deepEqual(
      parseCatalog(text)[0]?.attributes.map((attribute) => attribute.name),
      ['type', 'region', 'category'],
    );
  });

  const numbers: { yaml: string; value: string }[] = [
    { yaml: '1', value: '1' },
    { yaml: '42', value: '42' },
    { yaml: '2.5', value: '2.5' },
    { yaml: '"007"', value: '007' },
  ];
  for (const { yaml, value } of numbers) {
    it(`turns the attribute value ${yaml} into the string '${value}'`, () => {
      const parsed = parseCatalog(`components:\n  - name: X\n    attributes:\n      tier: ${yaml}\n`);
      assert.deepEqual(parsed[0]?.attributes, [{ name: 'tier', value }]);
    });
  }

  it('gives an entry without attributes an empty attribute list', () => {
    assert.deepEqual(parseCatalog('components:\n  - name: Lonely\n'), [{ name: 'Lonely', attributes: [] }]);
  });

  it('gives an entry with an empty attribute mapping an empty attribute list', () => {
    assert.deepEqual(parseCatalog('components:\n  - name: Lonely\n    attributes: {}\n'), [{ name: 'Lonely', attributes: [] }]);
  });

  it('returns no components for an empty components list', () => {
    assert.deepEqual(parseCatalog('components: []\n'), []);
  });

  it('keeps two entries with the same name and different regions apart', () => {
    const parsed = parseCatalog(
      'components:\n  - name: ECS\n    attributes: {region: EU-DE}\n  - name: ECS\n    attributes: {region: EU-NL}\n',
    );
    assert.deepEqual(parsed, [
      { name: 'ECS', attributes: [{ name: 'region', value: 'EU-DE' }] },
      { name: 'ECS', attributes: [{ name: 'region', value: 'EU-NL' }] },
    ]);
  });

  it('ignores YAML comments', () => {
    const text = '# catalog\ncomponents:\n  # compute\n  - name: ECS # the server\n    attributes: {region: EU-DE}\n';
    assert.deepEqual(parseCatalog(text), [{ name: 'ECS', attributes: [{ name: 'region', value: 'EU-DE' }] }]);
  });
});

describe('parseCatalog: malformed catalogs throw a CatalogError naming the problem', () => {
  const cases: { name: string; text: string; message: RegExp }[] = [
    { name: 'text that is not YAML (unclosed flow sequence)', text: 'components: [\n  - name: X\n', message: /not valid YAML/ },
    { name: 'text that is not YAML (bad indentation)', text: 'components:\n  - name: X\n   attributes: {region: R}\n  bad', message: /not valid YAML/ },
    { name: 'an empty document', text: '', message: /"components:" list/ },
    { name: 'a document without a components key', text: 'services:\n  - name: X\n', message: /"components:" list/ },
    { name: 'a components key that is a mapping', text: 'components:\n  name: X\n', message: /"components:" list/ },
    { name: 'a components key that is a string', text: 'components: X\n', message: /"components:" list/ },
    { name: 'a components key with no value', text: 'components:\n', message: /"components:" list/ },
    { name: 'a top-level list instead of a mapping', text: '- name: X\n', message: /"components:" list/ },
    { name: 'a scalar document', text: 'just text\n', message: /"components:" list/ },
    { name: 'an entry that is a string', text: 'components:\n  - Component11\n', message: /^components\[0\]: / },
    { name: 'an empty entry', text: 'components:\n  -\n', message: /^components\[0\]: / },
    { name: 'an entry without name', text: 'components:\n  - attributes: {region: R}\n', message: /^components\[0\]: "name"/ },
    { name: 'the second entry without name', text: 'components:\n  - name: A\n  - attributes: {region: R}\n', message: /^components\[1\]: "name"/ },
    { name: 'an entry with an empty name', text: 'components:\n  - name: ""\n', message: /^components\[0\]: "name"/ },
    { name: 'an entry with a blank name', text: 'components:\n  - name: "  "\n', message: /^components\[0\]: "name"/ },
    { name: 'an entry whose name is a number', text: 'components:\n  - name: 42\n', message: /^components\[0\]: "name"/ },
    { name: 'an entry whose name is a mapping', text: 'components:\n  - name: {a: b}\n', message: /^components\[0\]: "name"/ },
    {
      name: 'attributes that are a list',
      text: 'components:\n  - name: ECS\n    attributes:\n      - region: R\n',
      message: /^components\[0\] \(ECS\): "attributes" must be a mapping/,
    },
    {
      name: 'attributes that are a string',
      text: 'components:\n  - name: ECS\n    attributes: EU-DE\n',
      message: /^components\[0\] \(ECS\): "attributes" must be a mapping/,
    },
    {
      name: 'attributes written with no value',
      text: 'components:\n  - name: A\n  - name: ECS\n    attributes:\n',
      message: /^components\[1\] \(ECS\): "attributes" must be a mapping/,
    },
    {
      name: 'an unknown key in an entry',
      text: 'components:\n  - name: ECS\n    region: EU-DE\n',
      message: /^components\[0\] \(ECS\): unknown key "region"/,
    },
    {
      name: 'a misspelt attributes key',
      text: 'components:\n  - name: A\n  - name: ECS\n    attribute: {region: EU-DE}\n',
      message: /^components\[1\] \(ECS\): unknown key "attribute"/,
    },
    {
      name: 'an attribute value that is an object',
      text: 'components:\n  - name: ECS\n    attributes:\n      region: {name: EU-DE}\n',
      message: /^components\[0\] \(ECS\): attribute "region" must be a string/,
    },
    {
      name: 'an attribute value that is a list',
      text: 'components:\n  - name: ECS\n    attributes:\n      region: [EU-DE, EU-NL]\n',
      message: /^components\[0\] \(ECS\): attribute "region" must be a string/,
    },
    {
      name: 'an attribute with no value',
      text: 'components:\n  - name: ECS\n    attributes:\n      region:\n',
      message: /^components\[0\] \(ECS\): attribute "region" must be a string/,
    },
  ];
  for (const { name, text, message } of cases) {
    it(`throws a CatalogError for ${name}`, () => {
      assert.throws(
        () => parseCatalog(text),
        (error: unknown) => {
          assert.ok(error instanceof CatalogError, `expected a CatalogError, got ${String(error)}`);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('throws a CatalogError that is an Error', () => {
    assert.throws(() => parseCatalog('components: 1'), Error);
  });
});
