import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { ReadModel } from '../src/read-model/read-model.js';
import type { Store } from '../src/storage/store.js';

export const BENCH_PAYLOAD_KEY = 'stackmon';

/** The server's own time for each POST it answers (Fastify's, from request to answer, ms), while recording. */
export class AnswerTimes {
  private times: number[] | undefined;
  start(): void {
    this.times = [];
  }
  stop(): number[] {
    const times = this.times ?? [];
    this.times = undefined;
    return times;
  }
  note(milliseconds: number): void {
    this.times?.push(milliseconds);
  }
}

export interface RunningServer {
  app: FastifyInstance;
  /** with `timeAnswers`: what the server itself took per POST, unaffected by how the load generator's process is scheduled */
  answerTimes?: AnswerTimes;
  readModel: ReadModel;
  url: string;
  /** how long the read model took to load the whole catalog and history */
  warmMs: number;
  close(): Promise<void>;
}

/**
 * Our server as production builds it (src/runtime/server.ts does the same on a Config): a warm
 * read model, then the Fastify app, listening on 127.0.0.1 on a free port. The store stays open.
 * `timeAnswers` adds a hook that production lacks, so only the scenario that reports it asks.
 */
export async function startOurServer(store: Store, secretKey: string, { timeAnswers = false } = {}): Promise<RunningServer> {
  const readModel = new ReadModel(store);
  const started = performance.now();
  await readModel.load();
  const warmMs = performance.now() - started;
  const app = await buildApp({
    store,
    readModel,
    clock: () => Date.now(),
    apiTokens: { secretKey, payloadKey: BENCH_PAYLOAD_KEY },
    logLevel: 'silent',
  });
  const answerTimes = timeAnswers ? new AnswerTimes() : undefined;
  if (answerTimes) {
    app.addHook('onResponse', (request, reply, done) => {
      if (request.method === 'POST') answerTimes.note(reply.elapsedTime);
      done();
    });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, readModel, ...(answerTimes && { answerTimes }), url: `http://127.0.0.1:${port}`, warmMs, close: () => app.close() };
}
