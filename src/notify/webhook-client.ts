import { createHmac, randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach unless SD_WEBHOOK_ALLOW_PRIVATE is set (issue 18: no
 * server-side request forgery): loopback, the private ranges, link-local (cloud metadata
 * services live there), carrier-grade NAT, unique-local, multicast and the unspecified address.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** Whether an address is one a webhook may not reach (IPv4-mapped IPv6 is judged as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return FORBIDDEN.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    const outgoing = send(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(request.allowPrivate),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'status-dashboard-webhooks',
          'idempotency-key': request.deliveryId,
          'x-status-dashboard-delivery': request.deliveryId,
          [SIGNATURE_HEADER]: signature(request.secret, timestamp, request.body),
        },
      },
      (response) => {
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
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    // A name that resolves only to private addresses will not change its mind: no more tries.
    outgoing.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.message, final: error.code === 'EPRIVATE' }));
    outgoing.end(request.body);
  });
}
