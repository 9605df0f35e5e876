/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts '<LoadSpec JSON>'`)
 * so that autocannon does not share the server's event loop. Prints one JSON line: a LoadResult.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createRandom } from './catalog.js';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  /** seconds measured */
  duration: number;
  /** seconds run (and thrown away) before measuring, same settings */
  warmup: number;
  headers?: Record<string, string>;
  /** a JSON file holding an array of request bodies; each request sends a random one */
  bodiesFile?: string;
  /**
   * Requests per second over all connections; unset: closed loop, as fast as the server answers.
   * autocannon's limiter sends each connection's quota at the start of every second, so the
   * rate is split over STAGGER instances started 1/STAGGER s apart: smaller, spread bursts.
   */
  overallRate?: number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  /** responses received in the measured run */
  responses: number;
  seconds: number;
  /** responses per second */
  rps: number;
  /** milliseconds, every response */
  latency: Percentiles;
  /** milliseconds, per status code */
  latencyByStatus: Record<string, Percentiles>;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  /** CPU the load generator itself used, as a share of one core */
  loadCpu: number;
}

const STAGGER = 10;

/**
 * autocannon decodes every response body into a string and appends it (`req.body += chunk`)
 * even when nothing reads it: for multi-megabyte answers the load generator then measures its
 * own UTF-8 decoding and string building, not the server. Bodies are never checked here (no
 * expectBody, verifyBody or onResponse), so the copy is skipped; bytes are still counted.
 */
function skipBodyCopies(): void {
  const require = createRequire(import.meta.url);
  const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody(data: unknown): void } };
  queue.prototype.addBody = () => {};
}

interface Collected {
  times: Map<number, number[]>;
  bytes: number;
  errors: number;
  timeouts: number;
}

function readBodies(spec: LoadSpec): string[] {
  if (!spec.bodiesFile) return [];
  return (JSON.parse(readFileSync(spec.bodiesFile, 'utf8')) as unknown[]).map((body) => JSON.stringify(body));
}

async function runOne(spec: LoadSpec, bodies: readonly string[], options: { duration: number; connections: number; rate?: number }, into: Collected): Promise<void> {
  const random = createRandom(Math.floor(Math.random() * 2 ** 31));
  const request: autocannon.Request =
    bodies.length > 0
      ? { method: spec.method, setupRequest: (next) => ({ ...next, body: bodies[Math.floor(random() * bodies.length)] ?? '' }) }
      : { method: spec.method };
  const settings: autocannon.Options = {
    url: spec.url,
    connections: options.connections,
    duration: options.duration,
    method: spec.method,
    headers: { ...(bodies.length > 0 ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    requests: [request],
    timeout: 30,
  };
  if (options.rate !== undefined) {
    settings.overallRate = options.rate;
    // Latencies are taken from every response below, not from autocannon's (corrected) histogram.
    settings.ignoreCoordinatedOmission = true;
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(settings, (error: unknown, done: autocannon.Result) => (error ? reject(toError(error)) : resolve(done)));
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      let list = into.times.get(statusCode);
      if (!list) into.times.set(statusCode, (list = []));
      list.push(responseTime);
      into.bytes += resBytes;
    });
  });
  into.errors += result.errors;
  into.timeouts += result.timeouts;
}

async function run(spec: LoadSpec, bodies: readonly string[], duration: number): Promise<Collected> {
  const collected: Collected = { times: new Map(), bytes: 0, errors: 0, timeouts: 0 };
  if (spec.overallRate === undefined) {
    await runOne(spec, bodies, { duration, connections: spec.connections }, collected);
    return collected;
  }
  const rate = spec.overallRate;
  const connections = Math.max(1, Math.floor(spec.connections / STAGGER));
  await Promise.all(
    Array.from({ length: STAGGER }, async (_, i) => {
      await sleep((i * 1000) / STAGGER);
      const share = Math.floor(rate / STAGGER) + (i < rate % STAGGER ? 1 : 0);
      await runOne(spec, bodies, { duration, connections: Math.min(connections, share), rate: share }, collected);
    }),
  );
  return collected;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

async function main(): Promise<void> {
  const argument = process.argv[2];
  if (!argument) throw new Error('usage: load.ts <LoadSpec JSON>');
  const spec = JSON.parse(argument) as LoadSpec;
  skipBodyCopies();
  const bodies = readBodies(spec);
  if (spec.warmup > 0) await run(spec, bodies, spec.warmup);
  // The parent measures its own (the server's) CPU from this line on.
  process.stdout.write('measuring\n');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const collected = await run(spec, bodies, spec.duration);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const statusCodes: Record<string, number> = {};
  const latencyByStatus: Record<string, Percentiles> = {};
  const all: number[] = [];
  for (const [code, times] of collected.times) {
    statusCodes[String(code)] = times.length;
    latencyByStatus[String(code)] = percentiles(times);
    for (const time of times) all.push(time);
  }
  const output: LoadResult = {
    responses: all.length,
    seconds: spec.duration,
    rps: all.length / spec.duration,
    latency: percentiles(all),
    latencyByStatus,
    statusCodes,
    errors: collected.errors,
    timeouts: collected.timeouts,
    bytesPerResponse: all.length > 0 ? collected.bytes / all.length : 0,
    loadCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
