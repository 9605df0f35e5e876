import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { CatalogError } from '../domain/catalog.js';
import { isRole } from '../domain/roles.js';
import { databaseStartFailure, StartFailure } from '../runtime/start-failure.js';
import { isDatabaseUnavailable } from '../storage/failures.js';
import { DatabaseUrlError } from '../storage/store.js';
import { runCatalogSync } from './catalog.js';
import { runMigrate } from './migrate.js';
import { OperatorCommandError, runOperator } from './operator.js';
import { runServe } from './serve.js';
import { runSession, SessionCommandError } from './session.js';
import { runSubscriber, SubscriberCommandError } from './subscriber.js';
import { runToken } from './token.js';
import { parseWebhookArgs, runWebhook, WebhookCommandError } from './webhook.js';
import type { CliIo } from './io.js';

const HELP = `Usage: status-dashboard <command> [options]

Commands:
  serve                      start the dashboard (migrates, syncs SD_CATALOG, listens on SD_PORT)
  migrate                    bring the database schema to the latest version
  catalog sync <file>        add the components of a catalog YAML that the database lacks
  token [--subject NAME] [--expires-in DURATION]
                             print an API token signed with the configured secret key;
                             DURATION like 90d, 12h, 30m (default: no expiry)
  operator add <name> [--role ROLE] [--password-stdin]
                             create a local account (for the /login page); ROLE is
                             creator, operator (default) or admin
  operator role <name> <role>
                             give an account another role; its open sessions end
  operator passwd <name> [--password-stdin]
                             set a new password; the operator's open sessions end
  operator remove <name>     delete an account; its open sessions end
  operator list              show the accounts
                             The password is asked for twice when stdin is a terminal;
                             otherwise (or with --password-stdin) it is the first line of
                             stdin. At least 12 characters.
  session list               show the operators' open sessions
  session end <subject>      end someone's sessions on every instance (the subject as
                             listed: local:<name> or oidc:<sub>)
  session end --all          end every session
  subscriber list            show the email subscribers: id, address, state, what they
                             follow, since when
  subscriber remove <id|address>
                             delete a subscriber (as unsubscribing does)
  webhook list               show the webhooks: id, state (and why one is disabled),
                             format, URL, what it follows
  webhook add <url> [--format json|slack|teams|discord]
                             add a webhook for the whole cloud; prints its signing
                             secret, this once
  webhook remove|test|enable|disable <id>
                             remove one, queue a test message for it (a running server
                             sends it), or enable or disable it
  help                       show this text

Configuration comes from the environment (SD_DATABASE_URL, SD_SECRET_KEY, …): see the README.
`;

/**
 * The CLI: runs the command of `argv` (without node and the script) and resolves to its exit code.
 * Importing this module does nothing; src/cli/bin.ts is the executable that calls it.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const usage = (problem: string): number => {
    io.stderr.write(`error: ${problem}\n\n${HELP}`);
    return 2;
  };
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(HELP);
    return command ? 0 : 1;
  }
  let config: Readonly<Config> | undefined;
  try {
    config = loadConfig(io.env ?? process.env);
    switch (command) {
      case 'serve':
        return await runServe(config, io);
      case 'migrate':
        return await runMigrate(config, io);
      case 'catalog': {
        const [sub, file, ...extra] = rest;
        if (sub !== 'sync' || !file || extra.length > 0) return usage('catalog sync <file>');
        return await runCatalogSync(config, file, io);
      }
      case 'token': {
        const { values } = parseArgs({
          args: rest,
          options: { subject: { type: 'string', default: 'monitoring' }, 'expires-in': { type: 'string' } },
          strict: true,
        });
        return await runToken(config, { subject: values.subject ?? 'monitoring', expiresIn: values['expires-in'] }, io);
      }
      case 'operator': {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { 'password-stdin': { type: 'boolean', default: false }, role: { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        const [action, username, ...extra] = positionals;
        const usageLine = 'operator add <name> [--role creator|operator|admin] [--password-stdin], operator passwd|remove <name>, operator role <name> <role>, or operator list';
        const role = action === 'role' ? extra.shift() : values.role;
        if (role !== undefined && !isRole(role)) return usage(`"${role}" is not a role: creator, operator or admin`);
        if (values.role !== undefined && action !== 'add') return usage(usageLine);
        if (action === 'list') {
          if (username !== undefined) return usage(usageLine);
        } else if (action !== 'add' && action !== 'passwd' && action !== 'remove' && action !== 'role') {
          return usage(usageLine);
        } else if (!username || extra.length > 0 || (action === 'role' && role === undefined)) {
          return usage(usageLine);
        }
        return await runOperator(config, { action, username, role, passwordStdin: values['password-stdin'] ?? false }, io);
      }
      case 'session': {
        const { values, positionals } = parseArgs({ args: rest, options: { all: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
        const [action, subject, ...extra] = positionals;
        const all = values.all ?? false;
        if (action === 'list' && subject === undefined && !all) return await runSession(config, { action }, io);
        if (action === 'end' && extra.length === 0 && (subject === undefined) === all) return await runSession(config, { action, subject }, io);
        return usage('session list, session end <subject> or session end --all');
      }
      case 'subscriber': {
        const [action, subscriber, ...extra] = rest;
        if (action === 'list' && subscriber === undefined) return await runSubscriber(config, { action }, io);
        if (action === 'remove' && subscriber !== undefined && extra.length === 0) return await runSubscriber(config, { action, subscriber }, io);
        return usage('subscriber list or subscriber remove <id|address>');
      }
      case 'webhook': {
        const parsed = parseWebhookArgs(rest);
        return typeof parsed === 'string' ? usage(parsed) : await runWebhook(config, parsed, io);
      }
      default:
        return usage(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) io.stderr.write(`configuration: ${line}\n`);
      return 2;
    }
    if (error instanceof OperatorCommandError || error instanceof SessionCommandError || error instanceof SubscriberCommandError || error instanceof WebhookCommandError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CatalogError || error instanceof DatabaseUrlError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
    const failure = error instanceof StartFailure ? error : config && isDatabaseUnavailable(error) ? databaseStartFailure(config.databaseUrl, error) : undefined;
    if (failure) {
      io.stderr.write(`error: ${failure.message}\n`);
      // The stack helps a developer, not the person who set the variable wrong.
      if (config && (config.logLevel === 'debug' || config.logLevel === 'trace')) io.stderr.write(`${String((failure.cause as Error | undefined)?.stack ?? failure.stack)}\n`);
      return 1;
    }
    throw error;
  }
}
