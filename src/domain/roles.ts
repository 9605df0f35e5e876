/**
 * Who may do what (issue 17; the Go back end's design, specs/001-maintenance-rbac): creators
 * propose maintenances, operators run incidents and review proposals, admins may do anything.
 * Anyone else (readers) only reads.
 */
export const ROLES = ['creator', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The identity provider's group of each role (SD_ADMINS_GROUP, SD_OPERATORS_GROUP, SD_CREATORS_GROUP). */
export interface RoleGroups {
  admins?: string | undefined;
  operators?: string | undefined;
  creators?: string | undefined;
}

/** The person or program behind a change: who the timeline and the audit name, and what they may do. */
export interface Actor {
  /** stable, compared for ownership: the token's user (preferred_username, else sub), `local:<username>`, `token:<subject>` */
  id: string;
  role: Role;
}

const RANK: Record<Role, number> = { creator: 1, operator: 2, admin: 3 };

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * Keycloak sends group paths (`/sd_admins`) while settings often name the group bare
 * (`sd_admins`): a leading `/` is ignored on both sides.
 */
export function sameGroup(a: string, b: string): boolean {
  const plain = (name: string) => name.replace(/^\//, '');
  return plain(a) === plain(b);
}

/** Whether a `groups` claim (a list of strings, when present at all) holds `group`. */
export function inGroup(groups: unknown, group: string): boolean {
  return Array.isArray(groups) && groups.some((member) => typeof member === 'string' && sameGroup(member, group));
}

export function anyRoleGroup(settings: RoleGroups): boolean {
  return settings.admins !== undefined || settings.operators !== undefined || settings.creators !== undefined;
}

/**
 * The role a `groups` claim gives, the highest if several: admins > operators > creators. With no
 * role group configured at all, everyone the provider vouches for is an admin, as before roles
 * existed (one group, or none, decided who could write). Undefined: a reader.
 */
export function roleFromGroups(groups: unknown, settings: RoleGroups): Role | undefined {
  if (!anyRoleGroup(settings)) return 'admin';
  if (settings.admins !== undefined && inGroup(groups, settings.admins)) return 'admin';
  if (settings.operators !== undefined && inGroup(groups, settings.operators)) return 'operator';
  if (settings.creators !== undefined && inGroup(groups, settings.creators)) return 'creator';
  return undefined;
}

/**
 * A fingerprint of the role settings: a single sign-on session remembers the one its role was
 * decided under, so that changed settings take effect at the next request, not after 12 hours.
 */
export function roleSettingsFingerprint(settings: RoleGroups): string {
  const plain = (group: string | undefined) => group?.replace(/^\//, '') ?? null;
  return JSON.stringify([plain(settings.admins), plain(settings.operators), plain(settings.creators)]);
}

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** A role as stored; anything else reads as the least one (a row a newer version wrote, say), never as more. */
export function storedRole(text: string): Role {
  return isRole(text) ? text : 'creator';
}
