/** The read scenarios: our server against a bare node:http ceiling, and the version check's cost. */
import http from 'node:http';
import type { ReadEncoding } from './args.js';
import type { ReadModel } from '../src/read-model/read-model.js';
import type { Dialect, Store } from '../src/storage/store.js';
import { bareRouteKey, startBareServer, type BareResponse, type BareServer } from './bare.js';
import type { ScenarioContext } from './context.js';
import type { Measured } from './load-generator.js';
import type { LoadSpec } from './load.js';
import { describeRead, fmt, megabytes } from './report.js';
import { startOurServer, type RunningServer } from './server.js';
import { getConnections } from './statistics.js';

/**
 * What the read scenarios GET, from our server and then, as captured, from the bare one: a path,
 * or one picked from the loaded read model (undefined: nothing to fetch). A new page is one line.
 * Pages are fetched plainly (no If-None-Match): full answers, not 304s. Each is asked for in
 * each of --encodings: as it is, and with `Accept-Encoding: br` or `gzip` alone.
 */
type ReadTarget = string | ((model: ReadModel) => string | undefined);
const READ_TARGETS: readonly ReadTarget[] = [
  '/api/v1/component_status',
  '/api/v1/incidents',
  '/',
  '/history',
  '/availability',
  (model) => oneOf(model.events.keys(), (id) => `/incidents/${id}`),
  (model) => oneOf(model.components.keys(), (id) => `/components/${id}`),
];

/** The path of the lowest id (the same seeded event or component at every history size), if there is one. */
function oneOf(ids: Iterable<number>, path: (id: number) => string): string | undefined {
  let lowest: number | undefined;
  for (const id of ids) if (lowest === undefined || id < lowest) lowest = id;
  return lowest === undefined ? undefined : path(lowest);
}

/** One database of a history size, seeded and migrated; the read scenarios serve all sizes at once. */
export interface History {
  history: number;
  store: Store;
}

/** Our server and its bare twin for one history size, with the paths they answer. */
interface ReadServers {
  history: number;
  ours: RunningServer;
  bare: BareServer;
  /** keyed by bareRouteKey: each path in each encoding */
  routes: Map<string, BareResponse>;
  /** per READ_TARGETS entry: its path at this size, undefined when there is nothing to fetch */
  paths: (string | undefined)[];
}

async function startReadServers({ history, store }: History, context: ScenarioContext): Promise<ReadServers> {
  const { log } = context;
  const ours = await startOurServer(store, context.secretKey);
  log(`  ${fmt(history)} events: read model loaded in ${fmt(ours.warmMs)} ms (${ours.readModel.components.size} components, ${ours.readModel.events.size} events)`);
  const paths = READ_TARGETS.map((target) => (typeof target === 'string' ? target : target(ours.readModel)));
  const routes = new Map<string, BareResponse>();
  for (const path of paths) {
    if (path === undefined) continue;
    for (const encoding of ['identity', ...context.options.encodings.filter((each) => each !== 'identity')] as const) {
      const started = performance.now();
      const response = await capture(`${ours.url}${path}`, encoding);
      routes.set(bareRouteKey(path, acceptEncoding(encoding)), response);
      const what = encoding === 'identity' ? 'first answer (serialisation)' : `${encoding} ready (compressed once, on the thread pool when large)`;
      log(`  ${fmt(history)} events: GET ${path} (${encoding}): ${megabytes(response.body.length)}, ${what} in ${fmt(performance.now() - started)} ms`);
    }
  }
  const bare = await startBareServer(routes);
  return { history, ours, bare, routes, paths };
}

/** The Accept-Encoding the bench sends for an encoding: none for identity, as browsers' tools would. */
function acceptEncoding(encoding: ReadEncoding): string | undefined {
  return encoding === 'identity' ? undefined : encoding;
}

/** Smaller answers are sent uncompressed (src/http/compression.ts). */
const SMALLEST_COMPRESSED = 1024;
const CAPTURE_WAIT_MS = 120_000;

/** Our server's bytes for a path in an encoding, as sent. */
function capture(url: string, encoding: ReadEncoding): Promise<BareResponse> {
  const accept = acceptEncoding(encoding);
  return untilCompressed(url, accept === undefined ? {} : { 'accept-encoding': accept }, encoding);
}

type RawResponse = BareResponse & { status: number; etag: string | undefined };

/**
 * An answer in the coding `wanted` (node:http: fetch would decode it). Large answers go
 * uncompressed, with the identity tag, until the thread pool has compressed them: asked again
 * until then; small ones stay uncompressed.
 */
export async function untilCompressed(url: string, headers: Record<string, string>, wanted: string): Promise<RawResponse> {
  const deadline = performance.now() + CAPTURE_WAIT_MS;
  for (;;) {
    const response = await rawGet(url, headers);
    const sent = response.encoding ?? 'identity';
    if (response.status !== 200) throw new Error(`GET ${url} (${wanted}): ${response.status}`);
    if (sent === wanted || (sent === 'identity' && response.body.length < SMALLEST_COMPRESSED)) return response;
    if (wanted === 'identity' || performance.now() > deadline) throw new Error(`GET ${url} (${wanted}): answered in ${sent}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks),
          contentType: response.headers['content-type'] ?? 'application/json',
          encoding: response.headers['content-encoding'],
          etag: response.headers.etag,
        }),
      );
    });
    request.on('error', reject);
  });
}

/**
 * Every history size is served at once, and each round measures every size, ours and bare, for
 * a short slice each, in an order that turns round each round (ABBA). This machine's speed drifts
 * by tens of percent over seconds; slices a second apart see the same machine, so the drift
 * cancels out of the ratios, where runs of several seconds each caught different weather.
 */
export async function readScenarios(histories: readonly History[], dialect: Dialect, context: ScenarioContext): Promise<void> {
  const servers: ReadServers[] = [];
  try {
    for (const history of histories) servers.push(await startReadServers(history, context));
    for (let target = 0; target < READ_TARGETS.length; target++) {
      for (const encoding of context.options.encodings) await measureTarget(servers, target, encoding, dialect, context);
    }
  } finally {
    for (const server of servers) {
      await server.bare.close();
      await server.ours.close();
    }
  }
}

/** One read target in one encoding at every history size: the rounds, then a row per size. */
async function measureTarget(servers: readonly ReadServers[], target: number, encoding: ReadEncoding, dialect: Dialect, context: ScenarioContext): Promise<void> {
  const { options, generator } = context;
  const connectionsFor = (bodySize: number) => getConnections(bodySize, options.connections, options.inflightBytes);
  const accept = acceptEncoding(encoding);
  const measured = servers.map(() => ({ ours: [] as Measured[], bare: [] as Measured[] }));
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => servers.length - 1 - i);
    for (const index of order) {
      const server = servers[index];
      const path = server?.paths[target];
      const runs = measured[index];
      if (!server || path === undefined || !runs) continue;
      const spec = (base: string): LoadSpec => ({
        url: `${base}${path}`,
        method: 'GET',
        connections: connectionsFor(server.routes.get(bareRouteKey(path, accept))?.body.length ?? 0),
        duration: options.slice,
        warmup: round === 0 ? options.warmup : 0,
        ...(accept === undefined ? {} : { headers: { 'accept-encoding': accept } }),
      });
      for (const which of round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)) {
        if (which === 'ours') runs.ours.push(await generator.run(spec(server.ours.url)));
        else runs.bare.push(await generator.run(spec(server.bare.url)));
      }
    }
  }
  servers.forEach((server, index) => {
    const path = server.paths[target];
    const runs = measured[index];
    if (path === undefined || !runs) return;
    const route = server.routes.get(bareRouteKey(path, accept));
    const bytes = route?.body.length ?? 0;
    const { line, row, ratio } = describeRead({
      database: dialect,
      history: server.history,
      path,
      encoding,
      identityBytes: server.routes.get(bareRouteKey(path, undefined))?.body.length ?? bytes,
      contentType: route?.contentType ?? '',
      bytes,
      connections: connectionsFor(bytes),
      rounds: options.rounds,
      ours: runs.ours,
      bare: runs.bare,
    });
    context.log(line);
    context.part.rows.push(row);
    context.part.ratios.push(ratio);
  });
}

/** The one database access of a read: what the version check costs, alone and 50 at a time. */
export async function versionCheckCost(store: Store, dialect: Dialect, context: ScenarioContext): Promise<void> {
  const { connections } = context.options;
  const ours = await startOurServer(store, context.secretKey);
  try {
    const sequential = async (label: string, call: () => Promise<unknown>) => {
      const n = 2000;
      for (let i = 0; i < 200; i++) await call();
      const started = performance.now();
      for (let i = 0; i < n; i++) await call();
      return `${label} ${fmt(((performance.now() - started) * 1000) / n, 1)} µs`;
    };
    const concurrent = async () => {
      let calls = 0;
      const until = performance.now() + 1000;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (performance.now() < until) {
            await store.committedVersion();
            calls++;
          }
        }),
      );
      return calls;
    };
    const line =
      `version check (${dialect}): ${await sequential('store.committedVersion()', () => store.committedVersion())}, ` +
      `${await sequential('readModel.fresh()', () => ours.readModel.fresh())} per call sequentially; ` +
      `${fmt(await concurrent())} committedVersion() answers/s to ${connections} concurrent callers` +
      (dialect === 'postgres' ? ' (concurrent checks share one pending query)' : '');
    context.log(`  ${line}`);
    context.part.findings.push(line);
  } finally {
    await ours.close();
  }
}
