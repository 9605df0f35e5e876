import { parse } from 'yaml';
import type { Attribute } from './component.js';

export interface CatalogComponent {
  name: string;
  attributes: Attribute[];
}

export class CatalogError extends Error {}

/**
 * Reads a catalog in the format of reference v1 §8.5:
 * `components: [{name: …, attributes: {region: …, category: …, type: …}}]`.
 * Attribute order is the order written, since it shows in the API and in update texts.
 */
export function parseCatalog(text: string): CatalogComponent[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CatalogError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const components = (document as { components?: unknown } | null)?.components;
  if (!Array.isArray(components)) throw new CatalogError('expected a top-level "components:" list');
  return components.map((entry: unknown, index) => {
    const where = `components[${index}]`;
    if (!entry || typeof entry !== 'object') throw new CatalogError(`${where}: expected a mapping with "name" and "attributes"`);
    const { name, attributes = {}, ...rest } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') throw new CatalogError(`${where}: "name" must be a non-empty string`);
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new CatalogError(`${where} (${name}): unknown key "${unknown[0]}"`);
    if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw new CatalogError(`${where} (${name}): "attributes" must be a mapping of name: value`);
    }
    return {
      name,
      attributes: Object.entries(attributes as Record<string, unknown>).map(([key, value]) => {
        if (typeof value !== 'string' && typeof value !== 'number') {
          throw new CatalogError(`${where} (${name}): attribute "${key}" must be a string`);
        }
        return { name: key, value: String(value) };
      }),
    };
  });
}
