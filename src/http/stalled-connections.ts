import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Progress {
  read: number;
  written: number;
  queued: number;
  /** performance.now() when bytes last moved */
  movedAt: number;
}

/**
 * Closes connections on which no byte has moved, either way, for `idleMs`: above all a client
 * that stopped reading an answer (slow-read), which node's header, request and keep-alive
 * timeouts do not cover. It does what node's socket timeout (Fastify's `connectionTimeout`)
 * does, but from a sweep: that timeout re-arms a timer on every read and write of every
 * socket, which cost the cached reads about 2 % of their CPU (bench, issue 15). The sweep looks
 * at each open connection every `min(1 s, idleMs / 4)`, so a stalled one lives between `idleMs`
 * and `idleMs` plus that interval.
 */
export function closeStalledConnections(server: Server, idleMs: number): void {
  const connections = new Map<Socket, Progress>();
  let sweep: NodeJS.Timeout | undefined;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { read: 0, written: 0, queued: 0, movedAt: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('listening', () => {
    sweep ??= setInterval(() => sweepOnce(connections, idleMs), Math.min(1_000, Math.max(10, Math.floor(idleMs / 4))));
    // The sweep never keeps a process alive that has nothing else to do.
    sweep.unref();
  });
  server.on('close', () => {
    clearInterval(sweep);
    sweep = undefined;
  });
}

function sweepOnce(connections: Map<Socket, Progress>, idleMs: number): void {
  const now = performance.now();
  for (const [socket, seen] of connections) {
    const { bytesRead: read, bytesWritten: written, writableLength: queued } = socket;
    if (read !== seen.read || written !== seen.written || queued !== seen.queued) {
      Object.assign(seen, { read, written, queued, movedAt: now });
    } else if (now - seen.movedAt >= idleMs) {
      connections.delete(socket);
      socket.destroy();
    }
  }
}
