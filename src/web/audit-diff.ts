/** One field an audited change touched, its values as indented JSON; absent where the field was not there. */
export interface FieldChange {
  /** the field's name; "" when the entry's value is not a record (a list, a text) */
  field: string;
  before?: string;
  after?: string;
}

type Fields = Record<string, unknown>;

/**
 * What an audit entry changed: only the fields whose values differ, in the order the record
 * names them. A creation (nothing before) or a removal (nothing after) shows every field.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  if (isFieldsOrNull(before) && isFieldsOrNull(after) && (before !== null || after !== null)) {
    const old = before ?? {};
    const now = after ?? {};
    const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])];
    return fields.filter((field) => canonical(old[field]) !== canonical(now[field])).map((field) => change(field, old, now));
  }
  if (canonical(before) === canonical(after)) return [];
  return [{ field: '', ...(before === null ? {} : { before: pretty(before) }), ...(after === null ? {} : { after: pretty(after) }) }];
}

function change(field: string, before: Fields, after: Fields): FieldChange {
  return {
    field,
    ...(Object.hasOwn(before, field) ? { before: pretty(before[field]) } : {}),
    ...(Object.hasOwn(after, field) ? { after: pretty(after[field]) } : {}),
  };
}

function isFieldsOrNull(value: unknown): value is Fields | null {
  return value === null || (typeof value === 'object' && !Array.isArray(value));
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** JSON with the keys of every record sorted: equal values compare equal whatever order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
  );
}
