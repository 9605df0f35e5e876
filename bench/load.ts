/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts`) so that
 * autocannon does not share the server's event loop. It stays up for the whole bench: each
 * LoadSpec JSON line on stdin is run in turn and answered on stdout with `measuring` when the
 * measured part starts, then one JSON line, a LoadResult. One long-lived process keeps
 * autocannon's code compiled and warm: a fresh process per run spent its first second in the
 * JIT, a different share of each run.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createRandom } from './catalog.js';
import { sharedClock } from './clock.js';
import { percentiles, type Percentiles } from './statistics.js';

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
   * Requests per second, sent open loop at even intervals over at most `connections` sockets;
   * unset: closed loop with autocannon, as fast as the server answers.
   */
  overallRate?: number;
  /**
   * Paced runs only: keep every latency (`samples`), and of every 201 answer the incident it
   * names (`opened`: the first answer naming each, warm-up included, on the shared clock).
   */
  collect?: boolean;
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
  /** collect: every latency of the measured run, ms, per status code */
  samples?: Record<string, number[]>;
  /** collect: each incident a 201 answer named, with when its first such answer arrived (sharedClock) */
  opened?: { id: number; at: number }[];
}

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
  /** incident id → when the first 201 naming it arrived (sharedClock); kept only when collecting */
  opened: Map<number, number> | undefined;
}

function readBodies(spec: LoadSpec): string[] {
  if (!spec.bodiesFile) return [];
  return (JSON.parse(readFileSync(spec.bodiesFile, 'utf8')) as unknown[]).map((body) => JSON.stringify(body));
}

function recordAnswer(into: Collected, statusCode: number, milliseconds: number): void {
  let list = into.times.get(statusCode);
  if (!list) into.times.set(statusCode, (list = []));
  list.push(milliseconds);
}

/** Closed loop: every connection sends its next request when the previous answer is in. */
async function runClosedLoop(spec: LoadSpec, bodies: readonly string[], duration: number, into: Collected): Promise<void> {
  const random = createRandom(Math.floor(Math.random() * 2 ** 31));
  const request: autocannon.Request =
    bodies.length > 0
      ? { method: spec.method, setupRequest: (next) => ({ ...next, body: bodies[Math.floor(random() * bodies.length)] ?? '' }) }
      : { method: spec.method };
  const settings: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    duration,
    method: spec.method,
    headers: { ...(bodies.length > 0 ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    requests: [request],
    timeout: 30,
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(settings, (error: unknown, done: autocannon.Result) => (error ? reject(toError(error)) : resolve(done)));
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      recordAnswer(into, statusCode, responseTime);
      into.bytes += resBytes;
    });
  });
  into.errors += result.errors;
  into.timeouts += result.timeouts;
}

/**
 * Open loop at a steady rate, as independent monitoring clients post: request n is due at
 * start + n / rate whatever the server does, and its latency counts from that moment, so time
 * spent waiting for a free socket behind a slow answer is counted too (no coordinated omission).
 * autocannon's own limiter sends each second's quota in one burst at the start of the second,
 * which measures bursts, not a rate.
 */
async function runPaced(spec: LoadSpec, bodies: readonly string[], duration: number, rate: number, into: Collected): Promise<void> {
  const random = createRandom(Math.floor(Math.random() * 2 ** 31));
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const url = new URL(spec.url);
  const headers = { ...(bodies.length > 0 ? { 'content-type': 'application/json' } : {}), ...spec.headers };
  const answers: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const body = bodies[Math.floor(random() * bodies.length)];
      const request = http.request({ agent, method: spec.method, host: url.hostname, port: url.port, path: url.pathname + url.search, headers, timeout: 30_000 }, (response) => {
        // Only a 201 names the incident the report opened or joined, and only collecting wants it.
        const chunks: Buffer[] | undefined = into.opened && response.statusCode === 201 ? [] : undefined;
        response.on('data', (chunk: Buffer) => {
          into.bytes += chunk.length;
          chunks?.push(chunk);
        });
        response.on('end', () => {
          recordAnswer(into, response.statusCode ?? 0, performance.now() - due);
          if (chunks && into.opened) noteOpened(into.opened, Buffer.concat(chunks), sharedClock());
          resolve();
        });
      });
      request.on('timeout', () => {
        into.timeouts++;
        request.destroy();
      });
      request.on('error', () => {
        into.errors++;
        resolve();
      });
      request.end(body);
    });
  const total = Math.round(duration * rate);
  const started = performance.now();
  for (let sent = 0; sent < total; ) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    // Timers wake up late by up to a millisecond or so: everything due by now goes out.
    while (sent < total && started + (sent * 1000) / rate <= performance.now()) {
      answers.push(send(started + (sent * 1000) / rate));
      sent++;
    }
  }
  await Promise.all(answers);
  agent.destroy();
}

/** The incident a 201 answer names (API v1: its `id`), the first time it is named. */
function noteOpened(opened: Map<number, number>, body: Buffer, at: number): void {
  let id: unknown;
  try {
    id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
  } catch {
    return;
  }
  if (typeof id === 'number' && !opened.has(id)) opened.set(id, at);
}

async function run(spec: LoadSpec, bodies: readonly string[], duration: number, opened: Map<number, number> | undefined): Promise<Collected> {
  const collected: Collected = { times: new Map(), bytes: 0, errors: 0, timeouts: 0, opened };
  if (spec.overallRate === undefined) await runClosedLoop(spec, bodies, duration, collected);
  else await runPaced(spec, bodies, duration, spec.overallRate, collected);
  return collected;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function runSpec(spec: LoadSpec): Promise<void> {
  const bodies = readBodies(spec);
  // Incidents opened in the warm-up are named by later answers too: they count from their first.
  const opened = spec.collect && spec.overallRate !== undefined ? new Map<number, number>() : undefined;
  if (spec.warmup > 0) await run(spec, bodies, spec.warmup, opened);
  // The parent measures its own (the server's) CPU from this line on.
  process.stdout.write('measuring\n');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const collected = await run(spec, bodies, spec.duration, opened);
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
    // Until the last answer: a paced run the server cannot keep up with ends late, and shows it.
    seconds: elapsed,
    rps: all.length / elapsed,
    latency: percentiles(all),
    latencyByStatus,
    statusCodes,
    errors: collected.errors,
    timeouts: collected.timeouts,
    bytesPerResponse: all.length > 0 ? collected.bytes / all.length : 0,
    loadCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
  if (opened) {
    output.samples = Object.fromEntries([...collected.times].map(([code, times]) => [String(code), times.map((time) => Math.round(time * 1000) / 1000)]));
    output.opened = [...opened].map(([id, at]) => ({ id, at }));
  }
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

async function main(): Promise<void> {
  skipBodyCopies();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') await runSpec(JSON.parse(line) as LoadSpec);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
