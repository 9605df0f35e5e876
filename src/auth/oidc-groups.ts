/**
 * Keycloak sends group paths (`/status-dashboard`) while settings often name the group bare
 * (`status-dashboard`): a leading `/` is ignored on both sides, as for API tokens (oidc-tokens.ts).
 */
export function sameGroup(a: string, b: string): boolean {
  const plain = (name: string) => name.replace(/^\//, '');
  return plain(a) === plain(b);
}

/** Whether a `groups` claim (a list of strings, when present at all) holds the required group. */
export function inGroup(groups: unknown, required: string): boolean {
  return Array.isArray(groups) && groups.some((group) => typeof group === 'string' && sameGroup(group, required));
}
