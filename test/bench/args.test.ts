import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ArgsError, parseBenchArgs, USAGE, type BenchOptions } from '../../bench/args.js';

function options(argv: string[], env: Record<string, string> = {}): BenchOptions {
  const parsed = parseBenchArgs(argv, env);
  assert.equal(parsed.help, false);
  if (parsed.help) throw new Error('unreachable');
  return parsed.options;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseBenchArgs(argv),
    (error: unknown) => {
      assert.ok(error instanceof ArgsError, `an ArgsError, not ${String(error)}`);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/, 'one line');
      return true;
    },
  );
}

describe('bench arguments', () => {
  it('defaults to the full bench: both databases, every scenario, 500 and 50,000 past events', () => {
    const defaults = options([]);
    assert.equal(defaults.duration, 4);
    assert.equal(defaults.warmup, 1);
    assert.equal(defaults.slice, 1);
    assert.equal(defaults.rounds, 20);
    assert.equal(defaults.connections, 50);
    assert.equal(defaults.postConnections, 50);
    assert.deepEqual(defaults.sizes, [500, 50_000]);
    assert.deepEqual(defaults.databases, ['sqlite', 'postgres']);
    assert.deepEqual([...defaults.scenarios], ['reads', 'capacity', 'posts', 'notifications']);
    assert.deepEqual(defaults.encodings, ['identity', 'br', 'gzip']);
    assert.equal(defaults.pgUrl, 'postgres://postgres@127.0.0.1:5432/postgres');
    assert.equal(defaults.resolveEvery, 2000);
    assert.equal(defaults.failing, 25);
    assert.equal(defaults.inflightBytes, 400 * 1024 * 1024);
    assert.equal(defaults.webhooks, 20);
    assert.equal(defaults.notifyEvents, 100);
    assert.equal(defaults.notifyRounds, 6);
    assert.equal(defaults.analyze, true);
    assert.match(defaults.out, /bench\/results\/latest\.md$/);
    assert.equal(defaults.part, undefined);
  });

  it('takes SD_BENCH_PG_URL as the default server, and --pg-url over it', () => {
    assert.equal(options([], { SD_BENCH_PG_URL: 'postgres://bench@db:5433/x' }).pgUrl, 'postgres://bench@db:5433/x');
    assert.equal(options(['--pg-url', 'postgresql://a@b/c'], { SD_BENCH_PG_URL: 'postgres://bench@db/x' }).pgUrl, 'postgresql://a@b/c');
  });

  it('reads every option into numbers, lists and flags', () => {
    const parsed = options([
      '--duration', '0.5', '--warmup', '0', '--slice', '0.2', '--rounds', '3', '--connections', '8', '--post-connections', '4',
      '--sizes', '50000, 0,500', '--databases', 'postgres', '--scenarios', 'posts', '--resolve-every', '0', '--failing', '500',
      '--inflight-mb', '1.5', '--skip-analyze', '--out', '/tmp/x.md', '--part', '/tmp/part.json',
      '--webhooks', '3', '--notify-events', '7', '--notify-rounds', '5',
    ]);
    assert.equal(parsed.duration, 0.5);
    assert.equal(parsed.warmup, 0);
    assert.equal(parsed.slice, 0.2);
    assert.equal(parsed.rounds, 3);
    assert.equal(parsed.connections, 8);
    assert.equal(parsed.postConnections, 4);
    assert.deepEqual(parsed.sizes, [0, 500, 50_000], 'sorted ascending');
    assert.deepEqual(parsed.databases, ['postgres']);
    assert.deepEqual([...parsed.scenarios], ['posts']);
    assert.equal(parsed.resolveEvery, 0);
    assert.equal(parsed.failing, 500);
    assert.equal(parsed.inflightBytes, 1.5 * 1024 * 1024);
    assert.equal(parsed.webhooks, 3);
    assert.equal(parsed.notifyEvents, 7);
    assert.equal(parsed.notifyRounds, 5);
    assert.equal(parsed.analyze, false);
    assert.equal(parsed.out, '/tmp/x.md');
    assert.equal(parsed.part, '/tmp/part.json');
  });

  it('takes any scenarios in the order given, notifications alone too', () => {
    assert.deepEqual([...options(['--scenarios', 'notifications']).scenarios], ['notifications']);
    assert.deepEqual([...options(['--scenarios', 'notifications, reads']).scenarios], ['notifications', 'reads']);
  });

  it('takes the encodings of the reads in the order given, one alone too', () => {
    assert.deepEqual(options(['--encodings', 'gzip']).encodings, ['gzip']);
    assert.deepEqual(options(['--encodings', 'br, identity']).encodings, ['br', 'identity']);
  });

  it('takes the last of a repeated option (the orchestrator narrows --databases for each worker)', () => {
    assert.deepEqual(options(['--databases', 'sqlite,postgres', '--databases', 'sqlite']).databases, ['sqlite']);
  });

  it('answers --help and -h with the usage', () => {
    assert.deepEqual(parseBenchArgs(['--help']), { help: true });
    assert.deepEqual(parseBenchArgs(['--duration', 'abc', '-h']), { help: true });
    for (const flag of ['--duration', '--slice', '--rounds', '--warmup', '--connections', '--inflight-mb', '--post-connections', '--sizes', '--databases', '--scenarios', '--encodings', '--pg-url', '--failing', '--resolve-every', '--webhooks', '--notify-events', '--notify-rounds', '--skip-analyze', '--out']) {
      assert.ok(USAGE.includes(flag), `usage names ${flag}`);
    }
  });

  it('refuses values that are not numbers', () => {
    refused(['--duration', 'abc'], /^--duration: "abc" is not a number \(> 0\)$/);
    refused(['--duration', ''], /^--duration: "" is not a number/);
    refused(['--duration', '0x10'], /^--duration: "0x10" is not a number/);
    refused(['--duration', '1e3'], /^--duration: "1e3" is not a number/);
    refused(['--warmup', 'NaN'], /^--warmup: "NaN" is not a number/);
    refused(['--rounds', '1.5'], /^--rounds: "1.5" is not an integer \(≥ 1\)$/);
    refused(['--webhooks', '2.5'], /^--webhooks: "2.5" is not an integer \(≥ 1\)$/);
    refused(['--notify-events', 'many'], /^--notify-events: "many" is not an integer/);
    refused(['--notify-rounds', '1.5'], /^--notify-rounds: "1.5" is not an integer/);
    refused(['--sizes', '500,lots'], /^--sizes: "lots" is not an integer/);
    refused(['--sizes', '500,'], /^--sizes: "" is not an integer/);
  });

  it('refuses negative and out-of-range values', () => {
    refused(['--duration=-1'], /^--duration: -1 is out of range \(> 0\)$/);
    refused(['--duration', '-1'], /--duration.*ambiguous.*--option=value/);
    refused(['--duration', '0'], /^--duration: 0 is out of range \(> 0\)$/);
    refused(['--slice', '0'], /^--slice: 0 is out of range/);
    refused(['--warmup=-0.5'], /^--warmup: -0.5 is out of range \(≥ 0\)$/);
    refused(['--rounds', '0'], /^--rounds: 0 is out of range \(≥ 1\)$/);
    refused(['--connections', '0'], /^--connections: 0 is out of range/);
    refused(['--post-connections', '0'], /^--post-connections: 0 is out of range/);
    refused(['--inflight-mb', '0'], /^--inflight-mb: 0 is out of range/);
    refused(['--resolve-every=-1'], /^--resolve-every: -1 is out of range/);
    refused(['--failing', '0'], /^--failing: 0 is out of range \(≥ 1 and ≤ 500\)$/);
    refused(['--failing', '501'], /^--failing: 501 is out of range/);
    refused(['--sizes=-5'], /^--sizes: -5 is out of range/);
    refused(['--webhooks', '0'], /^--webhooks: 0 is out of range \(≥ 1\)$/);
    refused(['--notify-events', '0'], /^--notify-events: 0 is out of range \(≥ 1\)$/);
    refused(['--notify-rounds', '0'], /^--notify-rounds: 0 is out of range \(≥ 1\)$/);
  });

  it('refuses unknown options, positional arguments, missing values and unknown list items', () => {
    refused(['--nope'], /^Unknown option '--nope'$/);
    refused(['--duration'], /--duration <value>' argument missing$/);
    refused(['sqlite'], /^Unexpected argument 'sqlite'$/);
    refused(['--databases', 'mysql'], /^--databases: "mysql" is not one of sqlite, postgres$/);
    refused(['--databases', 'sqlite,sqlite'], /^--databases: sqlite is given twice$/);
    refused(['--databases', ''], /^--databases: "" is not one of/);
    refused(['--scenarios', 'reads,writes'], /^--scenarios: "writes" is not one of reads, capacity, posts, notifications$/);
    refused(['--scenarios', 'notifications,notifications'], /^--scenarios: notifications is given twice$/);
    refused(['--encodings', 'br,deflate'], /^--encodings: "deflate" is not one of identity, br, gzip$/);
    refused(['--encodings', 'br,br'], /^--encodings: br is given twice$/);
    refused(['--sizes', '500,500'], /^--sizes: 500 is given twice$/);
    refused(['--pg-url', 'not a url'], /^--pg-url: not a URL$/);
    refused(['--pg-url', 'mysql://u:secret@db/x'], /^--pg-url: mysql:\/\/ is not postgres:\/\/ or postgresql:\/\/$/);
    refused(['--out', ' '], /^--out: a file name is needed$/);
    refused(['--skip-analyze=yes'], /--skip-analyze' does not take an argument$/);
  });

  it('exits with 2 and one line on stderr before anything runs, and 0 with the usage for --help', () => {
    const run = (...argv: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...argv], { encoding: 'utf8', timeout: 30_000 });
    const bad = run('--duration', 'abc');
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'bench: --duration: "abc" is not a number (> 0) (npm run bench -- --help)\n');
    const help = run('--help');
    assert.equal(help.status, 0);
    assert.equal(help.stdout, USAGE);
  });
});
