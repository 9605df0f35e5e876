/**
 * `npm test`'s runner (after typecheck and lint): every test/**\/*.test.ts, in two tiers.
 *
 *   concurrent  pure unit tests and in-process HTTP tests (app.inject), as many files at once as
 *               the machine has CPUs. A new test file lands here unless SERIAL names it.
 *   serial      files that start processes, listen on ports for real servers, start private
 *               PostgreSQL clusters, race two instances, use up connections or drive a browser:
 *               one file at a time, after the concurrent tier, so none of them competes for CPU
 *               with the rest or with each other.
 *
 * Arguments narrow the run to those files or folders (`npm test -- test/http`), each still in its
 * tier. Every file runs in its own process (node --test); the databases under test come from
 * test/helpers/database.ts (SQLite always, PostgreSQL when SD_TEST_DATABASE_URL is set).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

/** Files (or folders, ending in /) that run one at a time after the rest, each with its reason. */
const SERIAL: Record<string, string> = {
  'test/browser/': 'drives Chromium against a server on a port',
  'test/faults/': 'starts private PostgreSQL clusters and stops them under the server',
  'test/cli/processes.test.ts': 'the CLI as its own process: the smoke test and what needs a real exit',
  'test/http/newcomer.test.ts': 'starts `serve` in its own process',
  'test/http/two-instances.test.ts': 'two server processes on one database',
  'test/http/two-instances-bursts.test.ts': 'two server processes racing on one database',
  'test/http/connection-limits.test.ts': 'a real server on a port, filled up to its connection limits',
};

const root = process.cwd();

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [relative(root, path)] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => testFiles(join(path, name)));
}

function isSerial(file: string): boolean {
  return Object.keys(SERIAL).some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
}

interface Summary {
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
}

/** Runs node --test on `files`, passing its output through, and reads its closing counts. */
function runTier(name: string, files: string[], concurrency: number): Promise<{ code: number; summary: Summary }> {
  const summary: Summary = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
  if (files.length === 0) return Promise.resolve({ code: 0, summary });
  process.stdout.write(`\n== ${name} tier: ${files.length} files, ${concurrency} at a time\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // The closing counts of the TAP and spec reporters: "# tests 12" / "ℹ tests 12".
      const match = /^(?:#|ℹ) (tests|pass|fail|skipped|todo|cancelled) (\d+)$/.exec(line);
      if (match) summary[match[1] as keyof Summary] = Number(match[2]);
    }
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary })));
}

const wanted = process.argv.slice(2);
const files = [...new Set((wanted.length > 0 ? wanted : ['test']).flatMap((path) => testFiles(join(root, path))))];
const serial = files.filter(isSerial);
const concurrent = files.filter((file) => !isSerial(file));

if (process.env.SD_TEST_DATABASE_URL === undefined) {
  const consequence = process.env.CI === 'true' ? 'CI=true, so every suite that loops over both databases fails its "postgres" test' : 'suites that loop over both databases run on SQLite only and list "postgres: skipped"';
  process.stdout.write(`PostgreSQL: not tested in this run: SD_TEST_DATABASE_URL is not set (${consequence})\n`);
} else {
  process.stdout.write('PostgreSQL: tested in this run as well as SQLite (SD_TEST_DATABASE_URL is set)\n');
}

const started = Date.now();
const first = await runTier('concurrent', concurrent, availableParallelism());
const second = await runTier('serial', serial, 1);
const total = Object.fromEntries(Object.keys(first.summary).map((key) => [key, first.summary[key as keyof Summary] + second.summary[key as keyof Summary]]));
process.stdout.write(
  `\n== all tiers: ${files.length} files, ${Object.entries(total)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exitCode = first.code !== 0 || second.code !== 0 ? 1 : 0;
