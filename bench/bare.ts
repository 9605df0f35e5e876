import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BareResponse {
  body: Buffer;
  contentType: string;
  /** the Content-Encoding our server sent these bytes with, if any */
  encoding?: string | undefined;
}

/**
 * Where the bare server keeps an answer: its path and the request's Accept-Encoding, which the
 * bench sets to exactly one coding (or none), so the bare server sends the bytes ours sent for it.
 */
export function bareRouteKey(path: string, acceptEncoding: string | undefined): string {
  return `${acceptEncoding ?? 'identity'} ${path}`;
}

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The ceiling a Node.js HTTP server reaches on this machine: `node:http` answering from memory
 * with the bytes our server sent (compressed ones too), no routing framework, no database, no
 * per-request work. `routes` is keyed by bareRouteKey.
 */
export async function startBareServer(routes: ReadonlyMap<string, BareResponse>): Promise<BareServer> {
  const server = createServer((request, response) => {
    const accept = request.headers['accept-encoding'];
    const route = routes.get(bareRouteKey(request.url ?? '', Array.isArray(accept) ? accept.join(',') : accept));
    if (!route) {
      response.writeHead(404, { 'content-length': 0 });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': route.contentType, 'content-length': route.body.length, ...(route.encoding ? { 'content-encoding': route.encoding } : {}) });
    response.end(route.body);
  });
  // Same keep-alive behaviour as Fastify's defaults (72 s), so neither side reconnects.
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
