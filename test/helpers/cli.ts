// The CLI in the test's own process: main() with captured output, the SD_ settings given and
// nothing else from the environment, stdin a pipe holding `input` (so never a prompt).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string> = {}, options: { input?: string; signal?: AbortSignal } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { SD_LOG_LEVEL: 'warn', ...env },
    stdin: Readable.from(options.input ? [options.input] : []),
    signal: options.signal,
  });
  return { code, stdout, stderr };
}

/** `stderr` is exactly one line, matching `pattern`: a start failure as the user sees it. */
export function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', pattern);
}
