import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The content codings the dashboard sends; `identity` is the bytes as they are. */
export type Coding = 'br' | 'gzip' | 'identity';
type Compression = Exclude<Coding, 'identity'>;

/** Preferred first at equal weight: brotli is smaller, gzip is read by everything. */
const PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

/**
 * The coding a client's Accept-Encoding asks for (RFC 9110 §12.5.3): the highest weight wins,
 * brotli before gzip before identity at equal weight; `*` stands for every coding not named;
 * identity is acceptable unless `identity;q=0` (or `*;q=0` without identity) says otherwise, and
 * preferred only when weighted above the codings named.
 * When nothing is acceptable the bytes go as they are (a 406 would help no one reading a status page).
 */
export function chooseCoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0);
  }
  // Identity not named is acceptable, below any coding the client names.
  const weightOf = (coding: Coding) => weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? Number.MIN_VALUE : 0);
  let best: Coding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding);
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}

/** Below this, a compressed answer saves less than its headers and the CPU cost. */
const SMALLEST_COMPRESSED = 1024;
/**
 * Above this, compressing on the event loop would stall every other request (brotli takes seconds
 * for the 38 MB component list at 50,000 events): such answers are compressed on libuv's thread
 * pool, and go uncompressed until their compressed bytes are ready.
 */
export const LARGEST_SYNC = 256 * 1024;

/** Brotli 5 for answers compressed once per state of the data: most of 11's gain at a fraction of its time. */
const DYNAMIC = { br: 5, brLarge: 4, gzip: 6 } as const;
/** Assets never change while the process runs: compressed at start-up as small as brotli and gzip go. */
const STATIC = { br: 11, gzip: 9 } as const;

type Variant = Buffer | 'pending' | 'not smaller';

/** The compressed variants of one kept body; they live exactly as long as the body is kept. */
const variantsOf = new WeakMap<Buffer, Partial<Record<Compression, Variant>>>();

function brotliOptions(quality: number, size: number) {
  return { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size } };
}

function keep(body: Buffer, coding: Compression, compressed: Buffer): Buffer | 'not smaller' {
  const variant = compressed.length < body.length ? compressed : 'not smaller';
  const variants = variantsOf.get(body) ?? {};
  variants[coding] = variant;
  variantsOf.set(body, variants);
  return variant;
}

/**
 * The body in `coding`, compressed on the first request that wants it and kept beside the body
 * (a WeakMap keyed by the body's Buffer: the answers cached per version keep their Buffer, so
 * their compressed bytes are computed once per state of the data). Undefined: send the body as
 * it is (too small, not smaller compressed, or still being compressed).
 */
function compressedBody(body: Buffer, coding: Coding, perRequest: boolean): Buffer | undefined {
  if (coding === 'identity' || body.length < SMALLEST_COMPRESSED) return undefined;
  const known = variantsOf.get(body)?.[coding];
  if (known !== undefined) return typeof known === 'string' ? undefined : known;
  if (body.length <= LARGEST_SYNC) {
    const variant = keep(body, coding, coding === 'br' ? brotliCompressSync(body, brotliOptions(DYNAMIC.br, body.length)) : gzipSync(body, { level: DYNAMIC.gzip }));
    return typeof variant === 'string' ? undefined : variant;
  }
  // Bytes built for this request alone would be thrown away before the thread pool is done with them.
  if (perRequest) return undefined;
  const variants = variantsOf.get(body) ?? {};
  variants[coding] = 'pending';
  variantsOf.set(body, variants);
  const done = (error: Error | null, compressed: Buffer) => {
    if (error) delete variants[coding];
    else keep(body, coding, compressed);
  };
  if (coding === 'br') brotliCompress(body, brotliOptions(DYNAMIC.brLarge, body.length), done);
  else gzip(body, { level: DYNAMIC.gzip }, done);
  return undefined;
}

/** Compresses an asset once, at start-up, as small as it goes; it is then served like any kept body. */
export function precompress(body: Buffer, type: string): void {
  if (!compressible(type) || body.length < SMALLEST_COMPRESSED) return;
  keep(body, 'br', brotliCompressSync(body, brotliOptions(STATIC.br, body.length)));
  keep(body, 'gzip', gzipSync(body, { level: STATIC.gzip }));
}

/** Text compresses; PNG, WebP and JPEG are compressed already. */
function compressible(type: string): boolean {
  return /^text\/|json|xml|javascript|svg/.test(type);
}

const SUFFIX: Record<Coding, string> = { br: '-br', gzip: '-gz', identity: '' };

/** The tag of the body in a coding: the identity tag with the coding inside its quotes, so each encoding revalidates on its own. */
export function codedEtag(etag: string, coding: Coding): string {
  return coding === 'identity' ? etag : `${etag.slice(0, -1)}${SUFFIX[coding]}"`;
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export interface KeptBody {
  /** The bytes as kept: the same Buffer on every request for the same state of the data. */
  body: Buffer;
  type: string;
  /** The identity tag (quoted), when the answer has one: 304s then work per encoding. */
  etag?: string | undefined;
  statusCode?: number;
  /** built for this request alone (an operator's page, a stale one): never compressed on the thread pool */
  perRequest?: boolean;
  /** the other request headers the answer varies by (`Cookie`), said with Accept-Encoding in one Vary */
  varyAlso?: string;
}

/**
 * Sends a body in the coding the client prefers, with `Vary: Accept-Encoding` and the coding's
 * ETag; a 304 when If-None-Match holds that tag. The caller has set the other headers (cache-control).
 */
export function sendEncoded(request: FastifyRequest, reply: FastifyReply, { body, type, etag, statusCode = 200, perRequest = false, varyAlso }: KeptBody): FastifyReply {
  addVary(reply, varyAlso === undefined ? 'Accept-Encoding' : `${varyAlso}, Accept-Encoding`);
  const wanted = compressible(type) ? chooseCoding(request.headers['accept-encoding']) : 'identity';
  const compressed = compressedBody(body, wanted, perRequest);
  const coding = compressed ? wanted : 'identity';
  if (etag !== undefined) {
    const tag = codedEtag(etag, coding);
    reply.header('etag', tag);
    if (statusCode === 200 && matchesEtag(request.headers['if-none-match'], tag)) return reply.code(304).send();
  }
  if (compressed) reply.header('content-encoding', coding);
  return reply.code(statusCode).type(type).send(compressed ?? body);
}

/** Adds request headers (a comma-separated list) to Vary, keeping those a route named before (Authorization, Cookie). */
function addVary(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary');
  // Every kept answer passes here: the usual case (nothing yet) without splitting a list.
  if (typeof current !== 'string' || current === '') {
    reply.header('vary', header);
    return;
  }
  const present = new Set(current.split(',').map((name) => name.trim().toLowerCase()));
  const added = header.split(',').map((name) => name.trim()).filter((name) => !present.has(name.toLowerCase()));
  if (added.length > 0) reply.header('vary', [current, ...added].join(', '));
}
