/**
 * The webhook receiver of the notifications scenario, run as its own process
 * (`node --import tsx bench/receiver.ts`, forked with an IPC channel by bench/webhook-receiver.ts)
 * so that receiving shares neither the server's event loop nor its CPU account, as a receiver
 * elsewhere would not. It answers every POST 200 as soon as its body is in, and notes the
 * delivery's idempotency key, which webhook it was for (the path's /hook/<n>), the event it is
 * about (the json body's `event_id`) and when it arrived (bench/clock.ts, shared with the other
 * processes).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sharedClock } from './clock.js';

export interface Arrival {
  /** the Idempotency-Key header: one per delivery, the same for every attempt */
  key: string;
  /** the webhook's number, from its URL */
  hook: number;
  /** the json body's event_id; null for anything else */
  eventId: number | null;
  /** sharedClock, ms */
  at: number;
  /** this key arrived before (an earlier attempt of the same delivery) */
  repeat: boolean;
}

/** What the worker asks, each with its `seq`, answered with the same `seq`. */
export type ReceiverRequest =
  | { seq: number; type: 'take' }
  | { seq: number; type: 'await'; eventIds: number[]; each: number; timeoutMs: number };

export type ReceiverMessage =
  | { type: 'listening'; port: number }
  | { seq: number; type: 'arrivals'; arrivals: Arrival[] }
  | { seq: number; type: 'awaited'; complete: boolean };

const send = (message: ReceiverMessage) => process.send?.(message);

let arrivals: Arrival[] = [];
const seen = new Set<string>();
/** arrivals per event, over the process's life */
const perEvent = new Map<number, number>();
let waiting: { ids: number[]; each: number; done(complete: boolean): void } | undefined;

const complete = (ids: readonly number[], each: number) => ids.every((id) => (perEvent.get(id) ?? 0) >= each);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const at = sharedClock();
    response.writeHead(200, { 'content-length': '0' }).end();
    const key = String(request.headers['idempotency-key'] ?? '');
    let eventId: number | null = null;
    try {
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event_id?: unknown }).event_id;
      if (typeof id === 'number') eventId = id;
    } catch {
      // not ours: counted, about no event
    }
    const hook = Number(/\/hook\/(\d+)/.exec(request.url ?? '')?.[1] ?? -1);
    arrivals.push({ key, hook, eventId, at, repeat: seen.has(key) });
    seen.add(key);
    if (eventId !== null) perEvent.set(eventId, (perEvent.get(eventId) ?? 0) + 1);
    if (waiting && eventId !== null && complete(waiting.ids, waiting.each)) waiting.done(true);
  });
});
server.keepAliveTimeout = 5_000;

process.on('message', (message: ReceiverRequest) => {
  if (message.type === 'take') {
    send({ seq: message.seq, type: 'arrivals', arrivals });
    arrivals = [];
    return;
  }
  const timer = setTimeout(() => finish(false), message.timeoutMs);
  const finish = (done: boolean) => {
    clearTimeout(timer);
    waiting = undefined;
    send({ seq: message.seq, type: 'awaited', complete: done });
  };
  if (complete(message.eventIds, message.each)) return finish(true);
  waiting = { ids: message.eventIds, each: message.each, done: finish };
});
// The worker gone (its channel closed), nothing is left to receive for.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));
