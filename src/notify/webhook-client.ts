import { createHmac, randomBytes } from 'node:crypto';
import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach unless SD_WEBHOOK_ALLOW_PRIVATE is set (issue 18: no
 * server-side request forgery): loopback, the private ranges, link-local (cloud metadata
 * services live there), carrier-grade NAT, the IETF's and the benchmarks' ranges, unique-local,
 * multicast, the unspecified address and the deprecated IPv4-compatible IPv6 addresses.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether an address is one a webhook may not reach. IPv4-mapped IPv6 (`::ffff:127.0.0.1`, which
 * URLs spell `::ffff:7f00:1`) is judged as IPv4 (BlockList does so), and so are the IPv4
 * addresses inside NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) ones: a gateway would carry
 * them to that IPv4 address. Anything that is not an address counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return FORBIDDEN.check(address, 'ipv4');
  if (FORBIDDEN.check(address, 'ipv6')) return true;
  const embedded = embeddedIpv4(address);
  return embedded !== undefined && FORBIDDEN.check(embedded, 'ipv4');
}

/** The IPv4 address a NAT64 or 6to4 address carries, if it is one. */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const quad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return quad(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x2002) return quad(groups[1] ?? 0, groups[2] ?? 0);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (one isIP accepted), a trailing dotted quad included. */
function ipv6Groups(address: string): number[] | undefined {
  const text = address.replace(/%.*$/, '').replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const groups = tail === undefined ? parse(head) : [...parse(head), ...Array<number>(8 - parse(head).length - parse(tail).length).fill(0), ...parse(tail)];
  return groups.length === 8 ? groups : undefined;
}

/** Why a webhook URL is refused, or undefined: http(s), no credentials, no fragment, a host. */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http:// and https:// URLs';
  if (url.username || url.password) return 'no user or password in the URL (put a token in its path or query)';
  if (url.hash) return 'no #fragment';
  if (text.length > 2_000) return 'at most 2,000 characters';
  return undefined;
}

/** Every address a host name resolves to, as the connection will look it up (node:dns lookup). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

const resolveWithDns: ResolveHost = async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

const RESOLVE_TIMEOUT_MS = 5_000;
const PRIVATE_REFUSED = 'webhooks may not reach loopback, private or link-local addresses unless SD_WEBHOOK_ALLOW_PRIVATE is set';

/**
 * Why a webhook may not be saved with this URL, or undefined: its shape (webhookUrlProblem), then
 * where it leads. A literal loopback, private or link-local address is refused, and so is a name
 * that resolves only to such addresses, unless `allowPrivate`; a name that does not resolve at all
 * is refused either way (a typo is better caught now than after a day of failed deliveries). This
 * is a courtesy to the person saving it: every send checks again (guardedLookup), as a name may
 * resolve elsewhere later.
 */
export async function webhookTargetProblem(text: string, allowPrivate: boolean, resolve: ResolveHost = resolveWithDns): Promise<string | undefined> {
  const problem = webhookUrlProblem(text);
  if (problem) return problem;
  const host = new URL(text).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return !allowPrivate && isPrivateAddress(host) ? `${host} is a loopback, private or link-local address: ${PRIVATE_REFUSED}` : undefined;
  let addresses: string[];
  try {
    addresses = await withTimeout(resolve(host), RESOLVE_TIMEOUT_MS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${host} does not resolve${code ? ` (${code})` : ''}`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  if (!allowPrivate && addresses.every(isPrivateAddress)) return `${host} resolves only to loopback, private or link-local addresses (${addresses.join(', ')}): ${PRIVATE_REFUSED}`;
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A DNS lookup that refuses private addresses: the check happens where the connection is made,
 * so a name that resolves to a public address when the webhook is saved and to an internal one
 * later (DNS rebinding) is refused then too.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((entry) => !isPrivateAddress(entry.address));
      if (usable.length === 0) {
        return callback(Object.assign(new Error(`${hostname} resolves only to private addresses (SD_WEBHOOK_ALLOW_PRIVATE is off)`), { code: 'EPRIVATE' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, usable);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

export interface WebhookRequest {
  url: string;
  body: string;
  secret: string;
  /** the delivery's idempotency key */
  deliveryId: string;
  /** for the signature's timestamp (epoch ms) */
  now: number;
  timeoutMs: number;
  allowPrivate: boolean;
}

export type WebhookResponse = { ok: true; status: number } | { ok: false; status?: number; error: string; final: boolean };

/** The signature header's name and its value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (as Stripe signs). */
export const SIGNATURE_HEADER = 'x-status-dashboard-signature';

export function signature(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** A new webhook's signing secret. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

const MAX_ERROR_BODY = 300;
/** Connections kept per receiver's origin, open or idle: as many as the notifier sends at once (its concurrency). */
const SOCKETS_PER_ORIGIN = 8;
/** An idle connection is closed after this long (unless the receiver's Keep-Alive header asks for less): fewer than most servers keep theirs (Node 5 s, nginx 75 s). */
const IDLE_MS = 4_000;

/**
 * The connections to receivers, kept open between deliveries (keep-alive): a new TCP (and TLS)
 * connection per delivery costs both ends far more than the request. One agent per protocol and
 * per SD_WEBHOOK_ALLOW_PRIVATE, with guardedLookup on every connection it opens: the private
 * addresses check happens when a connection is made, so a connection opened while private
 * addresses were allowed must never carry a request that may not reach them.
 */
const agents = new Map<string, HttpAgent>();
function agentFor(protocol: string, allowPrivate: boolean): HttpAgent {
  const key = `${protocol}${allowPrivate}`;
  let agent = agents.get(key);
  if (!agent) {
    const options: AgentOptions & { lookup: LookupFunction } = {
      keepAlive: true,
      maxSockets: SOCKETS_PER_ORIGIN,
      maxFreeSockets: SOCKETS_PER_ORIGIN,
      timeout: IDLE_MS,
      scheduling: 'lifo',
      lookup: guardedLookup(allowPrivate),
    };
    agent = protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * A kept connection the receiver closed just as a request went out on it (its idle timeout met
 * ours): the receiver never saw the request, or at worst saw it and will drop the repeat by its
 * idempotency key. Tried again, on another connection; a fresh connection's failure is the
 * delivery's.
 */
const isStaleConnection = (request: ClientRequest, error: NodeJS.ErrnoException) => request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');

/**
 * POSTs a delivery: JSON, signed, with its idempotency key, within `timeoutMs` for the whole
 * exchange. 2xx is delivered; 410 Gone is final (the receiver says it is gone for good); anything
 * else, a timeout or a connection error is worth another try. Never follows redirects.
 */
export function postWebhook(request: WebhookRequest): Promise<WebhookResponse> {
  const url = new URL(request.url);
  const literal = isIP(url.hostname.replace(/^\[|\]$/g, ''));
  if (!request.allowPrivate && literal !== 0 && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
    return Promise.resolve({ ok: false, error: `${url.hostname} is a private address (SD_WEBHOOK_ALLOW_PRIVATE is off)`, final: true });
  }
  const timestamp = Math.floor(request.now / 1000);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const options = {
    method: 'POST',
    agent: agentFor(url.protocol, request.allowPrivate),
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(request.body),
      'user-agent': 'status-dashboard-webhooks',
      'idempotency-key': request.deliveryId,
      'x-status-dashboard-delivery': request.deliveryId,
      [SIGNATURE_HEADER]: signature(request.secret, timestamp, request.body),
    },
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    let responded = false;
    const attempt = (): ClientRequest => {
      const outgoing = send(url, options, (response) => {
        responded = true;
        const status = response.statusCode ?? 0;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_ERROR_BODY) text += chunk;
        });
        response.on('end', () => {
          if (status >= 200 && status < 300) finish({ ok: true, status });
          else finish({ ok: false, status, error: `HTTP ${status}${text ? `: ${text.slice(0, MAX_ERROR_BODY).replace(/\s+/g, ' ')}` : ''}`, final: status === 410 });
        });
        response.on('error', (error) => finish({ ok: false, status, error: error.message, final: false }));
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (!settled && !responded && isStaleConnection(outgoing, error)) {
          current = attempt();
          return;
        }
        // A name that resolves only to private addresses will not change its mind: no more tries.
        finish({ ok: false, error: error.message, final: error.code === 'EPRIVATE' });
      });
      outgoing.end(request.body);
      return outgoing;
    };
    const timer = setTimeout(() => {
      current.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    let current = attempt();
  });
}
