/** What one client may hold of the server: connections, and how long they may sit idle or trickle. */
export interface HttpLimits {
  /** open connections at most; beyond it, new ones are closed at once rather than starve the process of file handles */
  maxConnections: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveTimeoutMs: number;
  /** a request's headers must have arrived this long after it began (slowloris) */
  headersTimeoutMs: number;
  /** a whole request, body included, must have arrived by then (slow bodies) */
  requestTimeoutMs: number;
  /** a connection on which nothing moves for this long is closed (a client that stops reading; stalled-connections.ts) */
  idleTimeoutMs: number;
}

/**
 * Sized for a status page read by browsers and probes: requests are small (a body is 256 KiB at
 * most) and answers quick, so a client that needs more time is broken or hostile. A reverse
 * proxy in front keeps its own upstream keep-alive below ours (README, production).
 */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 10_000,
  keepAliveTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
};

/**
 * The node:http server options that enforce them (Fastify passes `http` to createServer); the
 * idle timeout is not node's socket timeout but a sweep (stalled-connections.ts), which costs
 * the hot path nothing.
 */
export function serverOptions(limits: HttpLimits) {
  return {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: 0,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // How often node looks for requests past those timeouts (default 30 s would let a header
      // timeout of 10 s stretch to 40).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
  };
}
