/**
 * `npm run bench`: read throughput (API reads and public pages) against a bare node:http
 * ceiling, sustained monitoring posts, and webhook notifications while they flow, on SQLite and
 * PostgreSQL, with a 500-component catalog and a short and a long history. Prints a markdown table and writes it to
 * bench/results/latest.md (--out). `npm run bench -- --help` lists the options (bench/args.ts).
 *
 * This process orchestrates: each database is benched in a process of its own (this script
 * again, with --part: bench/worker.ts), and their findings make one report (bench/report.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../src/storage/store.js';
import { ArgsError, parseBenchArgs, USAGE, type BenchOptions } from './args.js';
import { Cleanups } from './cleanup.js';
import { environment, reportDocument, type Part } from './report.js';
import { runWorker } from './worker.js';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The commit measured, and whether src/ differs from it. */
function sourceVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectDir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: projectDir, encoding: 'utf8' }).trim() !== '';
    return `commit ${commit}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

async function orchestrate(options: BenchOptions, cleanups: Cleanups): Promise<void> {
  const started = performance.now();
  const cpu = cpus();
  const environmentLine = environment(options, sourceVersion(), { node: process.version, cpus: cpu.length, model: cpu[0]?.model.trim() ?? 'unknown CPU' });
  log(`# Status Dashboard benchmark\n${environmentLine}`);
  const all: Part = { rows: [], ratios: [], findings: [] };
  for (const dialect of options.databases) {
    const part = await benchInChild(dialect, cleanups);
    all.rows.push(...part.rows);
    all.ratios.push(...part.ratios);
    all.findings.push(...part.findings);
  }
  const report = reportDocument({ at: new Date(), environment: environmentLine, part: all, options, seconds: (performance.now() - started) / 1000 });
  log(`\n${report}`);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, report);
  log(`written to ${relative(process.cwd(), options.out)}`);
}

/** This script again with --part, for one database; what it found, read back from its file. */
function benchInChild(dialect: Dialect, cleanups: Cleanups): Promise<Part> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-part-'));
  const file = join(dir, 'part.json');
  const argv = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--databases', dialect, '--part', file];
  return new Promise<Part>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: process.cwd(), stdio: 'inherit' });
    cleanups.track(child);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const done = cleanups.add(() => exited);
    child.on('error', reject);
    child.on('exit', (code) => {
      done();
      try {
        if (code !== 0) throw new Error(`the ${dialect} bench exited with ${code ?? 'a signal'}`);
        resolve(JSON.parse(readFileSync(file, 'utf8')) as Part);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseBenchArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`bench: ${error.message} (npm run bench -- --help)\n`);
    process.exitCode = 2;
    return Promise.resolve();
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return Promise.resolve();
  }
  const { options } = parsed;
  const cleanups = new Cleanups();
  cleanups.onSignals(log);
  return options.part === undefined ? orchestrate(options, cleanups) : runWorker(options, options.part, cleanups, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
