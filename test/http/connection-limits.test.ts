// Issue 15, finding 10: idle and trickling connections cannot starve the server. 20,000 idle
// connections made every new client fail; idle sockets stayed ~72 s, slow bodies up to 300 s.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';

const LIMITS = { maxConnections: 20, keepAliveTimeoutMs: 300, headersTimeoutMs: 400, requestTimeoutMs: 800, idleTimeoutMs: 1_000 };

async function listening(t: TestContext, limits = LIMITS) {
  const api = await buildTestApp(t, { limits });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.app.server.address() as { port: number };
  return { port, url: `http://127.0.0.1:${port}` };
}

async function openSocket(port: number, t: TestContext): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.on('error', () => undefined);
  // Read whatever comes (a 408), or the socket never sees the server close it.
  socket.resume();
  await once(socket, 'connect');
  const opened = performance.now();
  const closed = once(socket, 'close').then(() => performance.now() - opened);
  return { socket, closed };
}

/** Resolves to the ms until it closed, or Infinity if it stays open past `ms`. */
const closesWithin = (closed: Promise<number>, ms: number) => Promise.race([closed, sleep(ms).then(() => Number.POSITIVE_INFINITY)]);

describeEachDatabase('connection limits', () => {
  it('closes connections that never send a request, and serves new clients once they are gone', { timeout: 30_000 }, async (t) => {
    // 2 s for the headers: on a loaded machine, opening the 20 sockets and trying a 21st took
    // longer than 400 ms, and the first ones were gone before the server was seen full.
    const { port, url } = await listening(t, { ...LIMITS, headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, idleTimeoutMs: 3_000 });
    const idle = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => openSocket(port, t)));
    // Full: a further client is turned away at once instead of starving the process.
    await assert.rejects(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }));
    const lifetimes = await Promise.all(idle.map(({ closed }) => closesWithin(closed, 5_000)));
    assert.ok(lifetimes.every((ms) => ms < 5_000), `idle connections closed after ${lifetimes.map(Math.round).join(', ')} ms`);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });

  it('closes a request whose body trickles in, and an idle keep-alive connection', { timeout: 30_000 }, async (t) => {
    const { port } = await listening(t);
    const slow = await openSocket(port, t);
    slow.socket.write('POST /api/v1/component_status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => slow.socket.write(' '), 100);
    t.after(() => clearInterval(trickle));
    assert.ok((await closesWithin(slow.closed, 5_000)) < 5_000, 'a slow body is cut off');

    const keptAlive = await openSocket(port, t);
    keptAlive.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.ok((await closesWithin(keptAlive.closed, 5_000)) < 5_000, 'an idle keep-alive connection is closed');
  });
});

describeEachDatabase('stalled connections', () => {
  // Node's socket timeout re-armed a timer on every read and write; a sweep does the same job
  // (src/http/stalled-connections.ts). 3 s, so that a loaded machine's pause between the active
  // client's requests never looks like a stall.
  const STALL_LIMITS = { ...LIMITS, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 3_000 };

  it('closes a connection whose client stopped reading, and keeps one that keeps asking', { timeout: 60_000 }, async (t) => {
    const api = await buildTestApp(t, { limits: STALL_LIMITS });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = api.app.server.address() as { port: number };
    const serverSide = new Map<number, Socket>();
    api.app.server.on('connection', (socket: Socket) => serverSide.set(socket.remotePort ?? 0, socket));

    // Asks for far more than the socket buffers hold, then reads nothing.
    const stalled = await openSocket(port, t);
    stalled.socket.pause();
    stalled.socket.write('GET /api/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(400));
    await sleep(200);
    const stalledOnServer = serverSide.get(stalled.socket.localPort ?? -1);
    assert.ok(stalledOnServer, 'the server saw the connection');
    const stalledClosed = once(stalledOnServer, 'close').then(() => performance.now());

    // Meanwhile another client asks every 200 ms, for longer than the idle timeout.
    const active = await openSocket(port, t);
    let answers = 0;
    active.socket.on('data', (chunk: Buffer) => (answers += chunk.toString().split('HTTP/1.1 200').length - 1));
    const started = performance.now();
    while (performance.now() - started < 5_000) {
      active.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await sleep(200);
    }
    assert.ok((await Promise.race([stalledClosed, sleep(10_000).then(() => Number.POSITIVE_INFINITY)])) < Number.POSITIVE_INFINITY, 'the stalled connection is closed');
    assert.equal(await closesWithin(active.closed, 0), Number.POSITIVE_INFINITY, 'the active connection is open');
    assert.ok(answers >= 10, `the active client got ${answers} answers`);
  });
});
