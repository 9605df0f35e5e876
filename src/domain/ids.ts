/**
 * Ids are the databases' integers. PostgreSQL's `serial` and `integer` columns end at 2^31 − 1,
 * and a larger number in a query is an error there ("out of range"), not a miss: nothing past it
 * names a row, so nothing past it reaches a query.
 */
export const MAX_ID = 2_147_483_647;

/** The id a text names (a path segment, a form or query field): digits for 1 to MAX_ID, else undefined. */
export function parseId(text: string): number | undefined {
  const id = /^\d+$/.test(text) ? Number(text) : 0;
  return id >= 1 && id <= MAX_ID ? id : undefined;
}
