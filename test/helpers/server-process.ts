import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CliRun } from './cli.js';

/**
 * Set by `npm test` (scripts/test.ts) to src/cli/bin.ts as JavaScript, transpiled at the start of
 * the run: a child process then starts without tsx's loader. A test file run on its own starts
 * the CLI from its source through tsx.
 */
export const TRANSPILED_CLI_VARIABLE = 'STATUS_DASHBOARD_TEST_CLI';

/** How node starts the CLI: `node <args> <command>`. */
function cliArguments(): string[] {
  const transpiled = process.env[TRANSPILED_CLI_VARIABLE];
  return transpiled ? [transpiled] : ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url))];
}

/** Runs the CLI as a user would, with only the given SD_ settings in its environment. */
function cliEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SD_')));
  return { ...base, SD_LOG_LEVEL: 'warn', ...env };
}

/** The CLI executable in its own process, to its end: exit code and output. */
export async function runCliProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...cliArguments(), ...args], { env: cliEnvironment(env), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts `status-dashboard serve` in its own process and waits until it answers. */
export async function startServerProcess(
  t: TestContext,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...cliArguments(), 'serve'], {
    env: cliEnvironment({ SD_HOST: '127.0.0.1', SD_PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  t.after(async () => {
    // A process a test killed has a signal and no exit code: it exited, and 'exit' will not come again.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/v1/incidents`)).ok) return { url, child, output: () => stdout + stderr };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}
