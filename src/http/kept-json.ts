import type { FastifyReply } from 'fastify';
import { BoundedMemo, type Held, type MemoBounds } from '../read-model/bounded-memo.js';
import type { ReadModel } from '../read-model/read-model.js';

/**
 * What is kept per route (or view) and version of answers whose key the client chose. The front
 * end and the tools ask a handful of queries; a made-up one beyond the bounds costs what every
 * query cost before answers were kept (serialised for its request, sent uncompressed), and no
 * memory. 128 pages of 50 events fit in the bytes; a route's worst case is 8 MB plus one answer
 * (a filter of the deprecated list that matches most of the history).
 */
export const KEPT: MemoBounds = { keys: 128, weight: 8 * 1024 * 1024 };

/**
 * A JSON answer for a key the client chose (a canonical query, an id): kept per version as a
 * Buffer in `group` while KEPT allows (sendJson then compresses and tags it once), until the
 * moment `build` names; built as a string for this request beyond.
 */
export function keptJson(model: ReadModel, group: string, key: string, now: number, build: () => Held<string>): Buffer | string {
  const memo = model.memoize(group, () => new BoundedMemo<Buffer>(KEPT, (body) => body.length));
  return memo.keep(key, now, encoded(build)) ?? build().value;
}

/** Like keptJson, for answers that do not follow the clock. */
export function keptText(model: ReadModel, group: string, key: string, build: () => string): Buffer | string {
  return keptJson(model, group, key, 0, () => ({ value: build(), validUntil: Number.POSITIVE_INFINITY }));
}

/** A held answer encoded once, for keeping (its compressed variants and its tag are keyed by the Buffer). */
export function encoded(build: () => Held<string>): () => Held<Buffer> {
  return () => {
    const { value, validUntil } = build();
    return { value: Buffer.from(value), validUntil };
  };
}

/**
 * A value as the route's response serializer writes it (the schema's order and properties): the
 * bytes Fastify sends for it when a handler returns it. Fastify types a serializer's output
 * loosely; the routes' serializers (fast-json-stringify) write text.
 */
export function jsonOf(reply: FastifyReply, value: unknown): string {
  return reply.serialize(value) as string;
}
