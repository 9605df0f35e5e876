/**
 * The bench's command line: parsed and checked into one options object before anything runs.
 * A bad value is one line on stderr and exit code 2 (bench/run.ts), never a NaN that runs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Dialect } from '../src/storage/store.js';
import { benchCatalog } from './catalog.js';

const SCENARIOS = ['reads', 'capacity', 'posts', 'notifications'] as const;
export type Scenario = (typeof SCENARIOS)[number];
const ENCODINGS = ['identity', 'br', 'gzip'] as const;
/** How the read scenarios ask for their answers: as they are, or compressed (Accept-Encoding). */
export type ReadEncoding = (typeof ENCODINGS)[number];

export interface BenchOptions {
  /** measured seconds per post run */
  duration: number;
  /** seconds run and thrown away before the first measured run */
  warmup: number;
  /** measured seconds per read run: ours or bare, one size, one round */
  slice: number;
  rounds: number;
  /** GET connections */
  connections: number;
  postConnections: number;
  /** history sizes, ascending */
  sizes: number[];
  databases: Dialect[];
  scenarios: ReadonlySet<Scenario>;
  /** reads: each target is measured in each of these */
  encodings: ReadEncoding[];
  pgUrl: string;
  /** ms; 0: never */
  resolveEvery: number;
  failing: number;
  /** GET connections × answer size stays below this */
  inflightBytes: number;
  /** notifications: webhooks, all pointing at the bench's receiver */
  webhooks: number;
  /** notifications: maintenances created at once for the delivery throughput */
  notifyEvents: number;
  /** notifications: rounds of paced posts without and with notifications, in turn (ABBA) */
  notifyRounds: number;
  analyze: boolean;
  out: string;
  /** internal: bench the one database of `databases` and write its Part as JSON to this file */
  part: string | undefined;
}

export type ParsedArgs = { help: true } | { help: false; options: BenchOptions };

/** A command line the bench cannot run: the message is one line. */
export class ArgsError extends Error {}

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.md');
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const CATALOG_SIZE = benchCatalog().length;

export const USAGE = `Usage: npm run bench -- [options]

Read throughput (API reads and public pages) against a bare node:http ceiling, sustained
monitoring posts, and webhook notifications (deliveries per second, report to webhook, posts with
and without them), on SQLite and PostgreSQL, with a ${CATALOG_SIZE}-component catalog and a short and a long history.

  --duration s          measured seconds per post run, > 0 (default 4)
  --slice s             measured seconds per read run: ours or bare, one size, one round, > 0 (1)
  --rounds n            read rounds, ≥ 1; each measures ours and bare at every size (20)
  --warmup s            seconds run and thrown away before the first measured run, ≥ 0 (1)
  --connections n       GET connections, ≥ 1 (50), fewer (down to 8) for multi-megabyte answers (--inflight-mb)
  --inflight-mb n       GET connections × answer size stays below this, > 0 (400)
  --post-connections n  POST connections, ≥ 1 (50)
  --sizes a,b           history sizes, integers ≥ 0, seeded incrementally (500,50000)
  --databases list      sqlite,postgres (both)
  --scenarios list      reads,capacity,posts,notifications (all four)
  --encodings list      reads: identity,br,gzip (all three), each target asked for in each (Accept-Encoding)
  --pg-url url          an existing database to connect to for \`create database\` (SD_BENCH_PG_URL, else ${DEFAULT_PG_URL})
  --failing n           components reporting in the steady post mix, 1 to ${CATALOG_SIZE} (25)
  --resolve-every ms    during posts, resolve every open incident this often; 0: never (2000)
  --webhooks n          notifications: webhooks (whole cloud) pointing at the bench's receiver, ≥ 1 (20)
  --notify-events n     notifications: maintenances created at once, each told to every webhook, ≥ 1 (100)
  --notify-rounds n     notifications: rounds of paced posts without and with webhooks, in turn (ABBA), ≥ 1 (6)
  --skip-analyze        PostgreSQL: no planner statistics after seeding (autovacuum off)
  --out file            where the markdown goes (bench/results/latest.md)
  -h, --help            this text
`;

/** Parses and checks `argv` (without node and the script); `env` supplies SD_BENCH_PG_URL. */
export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string', default: '4' },
        warmup: { type: 'string', default: '1' },
        slice: { type: 'string', default: '1' },
        rounds: { type: 'string', default: '20' },
        connections: { type: 'string', default: '50' },
        'post-connections': { type: 'string', default: '50' },
        sizes: { type: 'string', default: '500,50000' },
        databases: { type: 'string', default: 'sqlite,postgres' },
        scenarios: { type: 'string', default: SCENARIOS.join(',') },
        encodings: { type: 'string', default: ENCODINGS.join(',') },
        'pg-url': { type: 'string', default: env.SD_BENCH_PG_URL ?? DEFAULT_PG_URL },
        'resolve-every': { type: 'string', default: '2000' },
        failing: { type: 'string', default: '25' },
        'inflight-mb': { type: 'string', default: '400' },
        webhooks: { type: 'string', default: '20' },
        'notify-events': { type: 'string', default: '100' },
        'notify-rounds': { type: 'string', default: '6' },
        'skip-analyze': { type: 'boolean', default: false },
        out: { type: 'string', default: DEFAULT_OUT },
        part: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    // node:util's messages run on over several sentences and lines: the first says it.
    const message = error instanceof Error ? error.message : String(error);
    const first = message.split(/\.(?:\s|$)/)[0]?.replace(/\s+/g, ' ') ?? message;
    throw new ArgsError(message.includes('ambiguous') ? `${first}: a value starting with '-' goes as --option=value` : first);
  }
  if (values.help) return { help: true };

  const out = values.out.trim();
  if (out === '') throw new ArgsError('--out: a file name is needed');
  if (values.part !== undefined && values.part.trim() === '') throw new ArgsError('--part: a file name is needed');
  return {
    help: false,
    options: {
      duration: number('--duration', values.duration, { min: 0, exclusive: true }),
      warmup: number('--warmup', values.warmup, { min: 0 }),
      slice: number('--slice', values.slice, { min: 0, exclusive: true }),
      rounds: number('--rounds', values.rounds, { min: 1, integer: true }),
      connections: number('--connections', values.connections, { min: 1, integer: true }),
      postConnections: number('--post-connections', values['post-connections'], { min: 1, integer: true }),
      sizes: sizes(values.sizes),
      databases: list('--databases', values.databases, ['sqlite', 'postgres'] as const),
      scenarios: new Set(list('--scenarios', values.scenarios, SCENARIOS)),
      encodings: list('--encodings', values.encodings, ENCODINGS),
      pgUrl: postgresUrl(values['pg-url']),
      resolveEvery: number('--resolve-every', values['resolve-every'], { min: 0, integer: true }),
      failing: number('--failing', values.failing, { min: 1, max: CATALOG_SIZE, integer: true }),
      inflightBytes: number('--inflight-mb', values['inflight-mb'], { min: 0, exclusive: true }) * 1024 * 1024,
      webhooks: number('--webhooks', values.webhooks, { min: 1, integer: true }),
      notifyEvents: number('--notify-events', values['notify-events'], { min: 1, integer: true }),
      notifyRounds: number('--notify-rounds', values['notify-rounds'], { min: 1, integer: true }),
      analyze: !values['skip-analyze'],
      out,
      part: values.part,
    },
  };
}

interface Range {
  min: number;
  /** min itself is out of range */
  exclusive?: boolean;
  max?: number;
  integer?: boolean;
}

/** Plain decimal notation only: Number() would take '', ' ', '0x10' and '1e3' too. */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

function number(flag: string, text: string, range: Range): number {
  const kind = range.integer ? 'an integer' : 'a number';
  const wanted = `${range.exclusive ? '>' : '≥'} ${range.min}${range.max === undefined ? '' : ` and ≤ ${range.max}`}`;
  if (!DECIMAL.test(text.trim())) throw new ArgsError(`${flag}: "${text}" is not ${kind} (${wanted})`);
  const value = Number(text);
  if (range.integer && !Number.isInteger(value)) throw new ArgsError(`${flag}: "${text}" is not ${kind} (${wanted})`);
  if (value < range.min || (range.exclusive && value === range.min) || (range.max !== undefined && value > range.max)) {
    throw new ArgsError(`${flag}: ${text} is out of range (${wanted})`);
  }
  return value;
}

function sizes(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  const values = items.map((item) => number('--sizes', item, { min: 0, integer: true }));
  const duplicate = values.find((value, i) => values.indexOf(value) !== i);
  if (duplicate !== undefined) throw new ArgsError(`--sizes: ${duplicate} is given twice`);
  return values.sort((a, b) => a - b);
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const picked: T[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    const known = allowed.find((name) => name === item);
    if (known === undefined) throw new ArgsError(`${flag}: "${item}" is not one of ${allowed.join(', ')}`);
    if (picked.includes(known)) throw new ArgsError(`${flag}: ${known} is given twice`);
    picked.push(known);
  }
  return picked;
}

function postgresUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ArgsError('--pg-url: not a URL'); // not echoed: it may hold a password
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new ArgsError(`--pg-url: ${url.protocol}// is not postgres:// or postgresql://`);
  return text;
}
