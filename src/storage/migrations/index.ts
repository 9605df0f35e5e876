import type { Migration } from 'kysely';
import * as initial from './2026-11-28-001-initial.js';
import * as authHandoff from './2026-11-28-002-auth-handoff.js';
import * as operators from './2026-11-28-003-operators.js';
import * as auditIndex from './2026-11-28-004-audit-index.js';
import * as loginFailures from './2026-11-30-005-login-failures.js';
import * as loginAttempts from './2026-11-30-006-login-attempts.js';
import * as commitTime from './2026-12-01-007-commit-time.js';
import * as authLogins from './2026-12-01-008-auth-logins.js';
import * as operatorSessions from './2026-12-01-009-operator-sessions.js';
import * as rolesAndReview from './2026-12-07-010-roles-and-review.js';
import * as notifications from './2026-12-07-011-notifications.js';
import type { MigrationDialect } from './types.js';

/** Every migration, in order. Names sort by date; a shipped migration is never edited. */
export function allMigrations(dialect: MigrationDialect): Record<string, Migration> {
  return {
    '2026-11-28-001-initial': { up: (db) => initial.up(db, dialect) },
    '2026-11-28-002-auth-handoff': { up: (db) => authHandoff.up(db) },
    '2026-11-28-003-operators': { up: (db) => operators.up(db, dialect) },
    '2026-11-28-004-audit-index': { up: (db) => auditIndex.up(db) },
    '2026-11-30-005-login-failures': { up: (db) => loginFailures.up(db) },
    '2026-11-30-006-login-attempts': { up: (db) => loginAttempts.up(db) },
    '2026-12-01-007-commit-time': { up: (db) => commitTime.up(db) },
    '2026-12-01-008-auth-logins': { up: (db) => authLogins.up(db) },
    '2026-12-01-009-operator-sessions': { up: (db) => operatorSessions.up(db) },
    '2026-12-07-010-roles-and-review': { up: (db) => rolesAndReview.up(db) },
    '2026-12-07-011-notifications': { up: (db) => notifications.up(db, dialect) },
  };
}
