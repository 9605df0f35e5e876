export interface Attribute {
  name: string;
  value: string;
}

export interface Component {
  id: number;
  name: string;
  /** in catalog order; the order shows in the API and in the component's label */
  attributes: Attribute[];
}

/**
 * The matching rule shared by the API, the feeds and the catalog (reference v1 §2.6): the first
 * component, by id, with exactly this name whose attributes include every wanted pair.
 */
export function findMatchingComponent<C extends Component>(
  components: Iterable<C>,
  name: string,
  wanted: ReadonlyMap<string, string>,
): C | undefined {
  let best: C | undefined;
  for (const component of components) {
    if (component.name !== name || (best && best.id < component.id)) continue;
    if (hasAttributes(component, wanted)) best = component;
  }
  return best;
}

export function hasAttributes(component: Component, wanted: ReadonlyMap<string, string>): boolean {
  for (const [name, value] of wanted) {
    if (!component.attributes.some((attribute) => attribute.name === name && attribute.value === value)) {
      return false;
    }
  }
  return true;
}

/** Later duplicates win, as the reference's list-to-dict mapping did. */
export function attributeMap(attributes: readonly Attribute[]): Map<string, string> {
  return new Map(attributes.map((attribute) => [attribute.name, attribute.value]));
}

/** "Compute (EU-DE, Compute)": the label generated update texts use (reference v1 §2.4.1 step 5). */
export function componentLabel(component: Component): string {
  return `${component.name} (${component.attributes.map((attribute) => attribute.value).join(', ')})`;
}

/** "Cloud Container Engine (Container, EU-DE, cce)": the Go back end's label (reference v3 §1.4). */
export function componentLabelV2(component: Component): string {
  const value = (name: string) => attributeValue(component, name) ?? '';
  return `${component.name} (${value('category')}, ${value('region')}, ${value('type')})`;
}

export function attributeValue(component: Component, name: string): string | undefined {
  return component.attributes.find((attribute) => attribute.name === name)?.value;
}

/** A component as a report names it: by id (API v2) or by name and attribute subset (API v1, §2.6). */
export type ComponentRef = { id: number } | { name: string; attributes: ReadonlyMap<string, string> };
