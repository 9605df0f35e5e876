import type { Config } from '../config.js';
import { endSessionsOf, listOperatorSessions } from '../storage/operator-sessions.js';
import { migrateToLatest, openStore } from '../storage/store.js';
import type { CliIo } from './io.js';

export type SessionCommand = { action: 'list' } | { action: 'end'; subject: string | undefined };

/** A session to end that does not exist: one `error:` line, exit code 1. */
export class SessionCommandError extends Error {}

/**
 * `status-dashboard session list|end`: operators' open sessions. Ending one removes its row, so
 * every instance refuses its cookie from the next request on.
 */
export async function runSession(config: Readonly<Config>, command: SessionCommand, io: CliIo): Promise<number> {
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    if (command.action === 'list') {
      const sessions = await listOperatorSessions(store, Date.now());
      if (sessions.length === 0) io.stdout.write('no open sessions\n');
      for (const session of sessions) {
        io.stdout.write(`${session.subject}\t${session.name}\tsince ${new Date(session.createdAt).toISOString()}\tuntil ${new Date(session.expiresAt).toISOString()}\n`);
      }
      return 0;
    }
    const ended = await endSessionsOf(store, command.subject);
    if (command.subject === undefined) {
      io.stdout.write(`ended ${ended} session${ended === 1 ? '' : 's'}\n`);
      return 0;
    }
    if (ended === 0) throw new SessionCommandError(`${command.subject} has no open session (see \`status-dashboard session list\`)`);
    io.stdout.write(`ended ${ended} session${ended === 1 ? '' : 's'} of ${command.subject}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
