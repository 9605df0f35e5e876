import { userInfo } from 'node:os';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import type { Config } from '../config.js';
import type { Role } from '../domain/roles.js';
import { addOperator, listOperators, OperatorError, removeOperator, setOperatorPassword, setOperatorRole } from '../storage/operators.js';
import { migrateToLatest, openStore, type Store } from '../storage/store.js';
import type { CliIo, PasswordInput } from './io.js';

export interface OperatorCommand {
  action: 'add' | 'remove' | 'list' | 'passwd' | 'role';
  username?: string | undefined;
  /** add: the new account's (default operator); role: the new one */
  role?: Role | undefined;
  /** read the password as the first line of stdin, never prompt */
  passwordStdin: boolean;
}

/** A problem the user can fix: printed as one `error:` line, exit code 1. */
export class OperatorCommandError extends Error {}

/** `status-dashboard operator add|remove|list|passwd|role`: local accounts, each change audited as `cli:<user>`. */
export async function runOperator(config: Readonly<Config>, command: OperatorCommand, io: CliIo): Promise<number> {
  const actor = `cli:${userInfo().username}`;
  // Read the password before touching the database: a typo in it should not leave half a change.
  const password = command.action === 'add' || command.action === 'passwd' ? await readNewPassword(io.stdin ?? process.stdin, command.passwordStdin, io) : undefined;
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    return await perform(store, command, password, actor, io);
  } catch (error) {
    if (error instanceof OperatorError) throw new OperatorCommandError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

async function perform(store: Store, command: OperatorCommand, password: string | undefined, actor: string, io: CliIo): Promise<number> {
  const username = command.username ?? '';
  switch (command.action) {
    case 'list': {
      const operators = await listOperators(store);
      if (operators.length === 0) io.stdout.write('no operators yet: add one with `status-dashboard operator add <name>`\n');
      for (const operator of operators) {
        const state = operator.disabled ? ' (disabled)' : '';
        io.stdout.write(`${operator.username}${state}\t${operator.role}\tcreated ${new Date(operator.createdAt).toISOString()}\tchanged ${new Date(operator.updatedAt).toISOString()}\n`);
      }
      return 0;
    }
    case 'add': {
      const role = command.role ?? 'operator';
      await addOperator(store, username, await hashPassword(password ?? ''), Date.now(), actor, role);
      io.stdout.write(`added ${role} ${username}\n`);
      return 0;
    }
    case 'role':
      await setOperatorRole(store, username, command.role ?? 'operator', Date.now(), actor);
      io.stdout.write(`${username} is now ${command.role === 'admin' ? 'an' : 'a'} ${command.role ?? 'operator'}; their open sessions have ended\n`);
      return 0;
    case 'passwd':
      await setOperatorPassword(store, username, await hashPassword(password ?? ''), Date.now(), actor);
      io.stdout.write(`changed the password of ${username}; their open sessions have ended\n`);
      return 0;
    case 'remove':
      await removeOperator(store, username, Date.now(), actor);
      io.stdout.write(`removed operator ${username}; their open sessions have ended\n`);
      return 0;
  }
}

async function readNewPassword(input: PasswordInput, fromStdin: boolean, io: CliIo): Promise<string> {
  let password: string;
  if (!fromStdin && input.isTTY) {
    password = await promptHidden(input, 'Password: ', io);
    const check = passwordProblem(password);
    if (check) throw new OperatorCommandError(check);
    if ((await promptHidden(input, 'Repeat the password: ', io)) !== password) throw new OperatorCommandError('the passwords differ');
  } else {
    password = await readFirstLine(input);
  }
  if (password === '') throw new OperatorCommandError('no password given: pipe it in on one line (with --password-stdin) or run in a terminal to be asked');
  const problem = passwordProblem(password);
  if (problem) throw new OperatorCommandError(problem);
  return password;
}

/** The first line of a piped stdin, without its line ending. */
async function readFirstLine(input: PasswordInput): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  input.pause();
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/** Asks on stderr and reads a line from the terminal without showing it. */
function promptHidden(input: PasswordInput, question: string, io: CliIo): Promise<string> {
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u0004') return done(new OperatorCommandError('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}
