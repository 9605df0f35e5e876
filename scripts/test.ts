/**
 * `npm test`'s runner: the type check and the lint (`npm run typecheck`, `npm run lint`) and every
 * test/**\/*.test.ts, in two tiers, all at the same time; it fails if any of them fails.
 *
 *   in-process  pure unit tests and in-process HTTP tests (app.inject). The files share
 *               processes, a few files each, one process more at once than the machine has CPUs
 *               (a test waiting on a timer leaves its CPU to the others):
 *               starting a process and loading the application cost about as much as an average
 *               file's tests. A new test file lands here unless OWN_PROCESS names it.
 *   process     files that start processes, listen on ports for real servers, start private
 *               PostgreSQL clusters, race two instances, use up connections or drive a browser:
 *               each in a process of its own, PROCESS_TIER_CONCURRENCY at a time, the longest
 *               first. They mostly wait, which is when the in-process tier works (the checks
 *               give way to both, see yielding).
 *
 * Process-tier tests start the CLI from a copy of src/ that esbuild turned into JavaScript at the
 * start of the run (TRANSPILED_CLI_VARIABLE): the same code, without tsx's loader in every child
 * process, which cost each start about twice the CPU (1.9 s against 0.75 s on this machine).
 *
 * Arguments narrow the run to those files or folders (`npm test -- test/http`), each still in its
 * tier. The databases under test come from test/helpers/database.ts (SQLite always, PostgreSQL
 * when SD_TEST_DATABASE_URL is set).
 */
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TRANSPILED_CLI_VARIABLE } from '../test/helpers/server-process.js';

/**
 * Files (or folders, ending in /) that need a process of their own, each with its reason, the
 * longest-running first (so that none of them is left running alone at the end).
 */
const OWN_PROCESS: Record<string, string> = {
  'test/faults/': 'starts private PostgreSQL clusters and stops them under the server',
  'test/browser/pages.test.ts': 'drives Chromium against a server on a port',
  'test/browser/review.test.ts': 'drives Chromium against a server on a port: a creator, an operator and a reader',
  'test/browser/subscriptions.test.ts': 'drives Chromium against a server on a port, with an SMTP server on loopback: a reader subscribes, confirms, unsubscribes',
  'test/browser/': 'drives Chromium against a server on a port',
  'test/http/connection-limits.test.ts': 'a real server on a port, filled up to its connection limits',
  'test/cli/processes.test.ts': 'the CLI as its own process: the smoke test and what needs a real exit',
  'test/http/two-instances-bursts.test.ts': 'two server processes racing on one database',
  'test/http/two-instances.test.ts': 'two server processes on one database',
  'test/notify/two-instances-deliveries.test.ts': 'two server processes sharing the deliveries of one database',
  'test/notify/killed-mid-delivery.test.ts': 'a server process killed in the middle of a delivery, then another',
  'test/http/newcomer.test.ts': 'starts `serve` in its own process',
};

/**
 * Process-tier files at once: mostly waiting (a frozen database for seconds, a page's polling),
 * they overlap well; more would have their timings compete for the CPUs.
 */
const PROCESS_TIER_CONCURRENCY = 3;

const root = process.cwd();

/**
 * Processes per CPU in the in-process tier: more than one, so that a chunk of slow files does not
 * leave the other CPUs idle at the end; few, so that the start-up is paid rarely.
 */
const CHUNKS_PER_CPU = 3;

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [relative(root, path)] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => testFiles(join(path, name)));
}

function ownProcessEntry(file: string): number {
  return Object.keys(OWN_PROCESS).findIndex((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
}

function needsOwnProcess(file: string): boolean {
  return ownProcessEntry(file) >= 0;
}

/** In the order of OWN_PROCESS (longest first); a folder's files in their own order. */
function byLongestFirst(files: string[]): string[] {
  return [...files].sort((a, b) => ownProcessEntry(a) - ownProcessEntry(b));
}

interface Summary {
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
}

/** Where a tier's output goes: straight through, or held until the tier before it is done. */
class TierOutput {
  private held: Buffer[] | undefined;
  constructor(holding: boolean) {
    this.held = holding ? [] : undefined;
  }
  write(text: string | Buffer): void {
    if (this.held) this.held.push(Buffer.from(text));
    else process.stdout.write(text);
  }
  release(): void {
    for (const chunk of this.held ?? []) process.stdout.write(chunk);
    this.held = undefined;
  }
}

/**
 * A command that gives way to the tests (`nice`): the type check and the lint fill what CPU the
 * tests leave. Not the in-process tier: starved that much, a test holding a transaction open
 * would meet PostgreSQL's idle-in-transaction timeout, which is there for frozen instances.
 */
function yielding(command: string, args: string[]): [string, string[]] {
  return ['nice', ['-n', '10', command, ...args]];
}

/** Runs an npm script with its output held until the end; resolves to its exit code. */
function runCheck(script: string): Promise<{ code: number; output: Buffer[] }> {
  const output: Buffer[] = [];
  const child = spawn(...yielding('npm', ['run', '--silent', script]), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output })));
}

/** Lines of a failure's report kept for the closing list: its name, the error and where it was thrown. */
const FAILURE_LINES = 24;

/**
 * The TAP reports of failed tests, collected as they pass by, so that the run can end with them:
 * a CI log that shows only its last lines then still says what failed.
 */
class FailureCollector {
  readonly reports: string[][] = [];
  private current: string[] | undefined;
  private indent = '';
  read(line: string): void {
    const failed = /^(\s*)not ok \d+ - /.exec(line);
    if (failed) {
      this.current = [line.trim()];
      this.indent = failed[1] ?? '';
      this.reports.push(this.current);
      return;
    }
    if (this.current === undefined) return;
    // The report's YAML block ends with "..." at the test's own indentation.
    if (line === `${this.indent}  ...`) this.current = undefined;
    else if (this.current.length < FAILURE_LINES) this.current.push(line);
  }
}

/** Runs node --test on `files`, passing its output through, and reads its closing counts and failures. */
function runTier(
  name: string,
  files: string[],
  { concurrency, output, what = `${files.length} files` }: { concurrency: number; output: TierOutput; what?: string },
): Promise<{ code: number; summary: Summary; failures: string[][] }> {
  const summary: Summary = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
  const failures = new FailureCollector();
  if (files.length === 0) return Promise.resolve({ code: 0, summary, failures: [] });
  output.write(`\n== ${name} tier: ${what}, ${concurrency} at a time\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      failures.read(line);
      // The closing counts of the TAP and spec reporters: "# tests 12" / "ℹ tests 12".
      const match = /^(?:#|ℹ) (tests|pass|fail|skipped|todo|cancelled) (\d+)$/.exec(line);
      if (match) summary[match[1] as keyof Summary] = Number(match[2]);
    }
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary, failures: failures.reports })));
}

const wanted = process.argv.slice(2);
const files = [...new Set((wanted.length > 0 ? wanted : ['test']).flatMap((path) => testFiles(join(root, path))))];
const ownProcess = files.filter(needsOwnProcess);
const inProcess = files.filter((file) => !needsOwnProcess(file));

if (process.env.SD_TEST_DATABASE_URL === undefined) {
  const consequence = process.env.CI === 'true' ? 'CI=true, so every suite that loops over both databases fails its "postgres" test' : 'suites that loop over both databases run on SQLite only and list "postgres: skipped"';
  process.stdout.write(`PostgreSQL: not tested in this run: SD_TEST_DATABASE_URL is not set (${consequence})\n`);
} else {
  process.stdout.write('PostgreSQL: tested in this run as well as SQLite (SD_TEST_DATABASE_URL is set)\n');
}

/**
 * Entry files that each import some of `files`, in order: one process runs their tests one file
 * after another. Files are dealt out in turn, so the slow folders spread over all chunks.
 */
function chunked(files: string[], chunks: number, folder: string): string[] {
  if (files.length <= 1) return files;
  const count = Math.min(chunks, files.length);
  return Array.from({ length: count }, (_, index) => {
    const members = files.filter((_file, position) => position % count === index);
    const entry = join(folder, `chunk-${index + 1}-of-${count}.test.mjs`);
    writeFileSync(entry, members.map((file) => `await import(${JSON.stringify(pathToFileURL(join(root, file)).href)});\n`).join(''));
    return entry;
  });
}

/**
 * src/ as JavaScript, file by file (no bundle), in a folder beside it at the same depth as dist/,
 * so that what src/ finds through its own place (web/assets.ts: ../../public/) is found.
 */
async function transpileSources(): Promise<string> {
  const outdir = join(root, '.test-dist');
  rmSync(outdir, { recursive: true, force: true });
  const sources = testableSources(join(root, 'src'));
  await build({ entryPoints: sources, outdir, outbase: join(root, 'src'), format: 'esm', platform: 'node', target: 'node20', jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'warning' });
  return join(outdir, 'cli', 'bin.js');
}

function testableSources(path: string): string[] {
  if (statSync(path).isFile()) return /\.tsx?$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => testableSources(join(path, name)));
}

const started = Date.now();
if (ownProcess.length > 0) process.env[TRANSPILED_CLI_VARIABLE] = await transpileSources();
const chunkFolder = mkdtempSync(join(tmpdir(), 'sd-test-chunks-'));
const cpus = availableParallelism();
const entries = chunked(inProcess, cpus * CHUNKS_PER_CPU, chunkFolder);
const inProcessOutput = new TierOutput(false);
const processOutput = new TierOutput(true);
// Both tiers at once: the process tier mostly waits (on servers, clusters, the browser), and
// that waiting is what the in-process tier's CPU work fills. Its output follows the other's.
const checks = Promise.all(['typecheck', 'lint'].map(async (script) => ({ script, ...(await runCheck(script)) })));
const [first, second] = await Promise.all([
  runTier('in-process', entries, { concurrency: cpus + 1, output: inProcessOutput, what: `${inProcess.length} files in ${entries.length} processes` }).finally(() => {
    rmSync(chunkFolder, { recursive: true, force: true });
    processOutput.release();
  }),
  runTier('process', byLongestFirst(ownProcess), { concurrency: PROCESS_TIER_CONCURRENCY, output: processOutput }),
]);
const total = Object.fromEntries(Object.keys(first.summary).map((key) => [key, first.summary[key as keyof Summary] + second.summary[key as keyof Summary]]));
process.stdout.write(
  `\n== all tiers: ${files.length} files, ${Object.entries(total)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
const checked = await checks;
for (const check of checked) {
  process.stdout.write(`\n== ${check.script}: ${check.code === 0 ? 'passed' : `FAILED (exit code ${check.code})`}\n`);
  for (const chunk of check.output) process.stdout.write(chunk);
}
const failures = [...first.failures, ...second.failures];
if (failures.length > 0) {
  process.stdout.write(`\n== failed: ${failures.length} reports (the tests and the suites around them)\n`);
  for (const report of failures) process.stdout.write(`${report.join('\n')}\n`);
}
const failed = [first.code, second.code, ...checked.map((check) => check.code)].some((code) => code !== 0);
process.exitCode = failed ? 1 : 0;
