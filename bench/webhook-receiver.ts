import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanups } from './cleanup.js';
import type { Arrival, ReceiverMessage, ReceiverRequest } from './receiver.js';

const benchDir = dirname(fileURLToPath(import.meta.url));

type Pending = { resolve(message: ReceiverMessage): void; reject(error: Error): void };
/** A request before it is numbered: Omit over each member of the union, not over the union. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'seq'> : never;

/** The webhook receiver (bench/receiver.ts) in a child process, listening on 127.0.0.1. */
export class WebhookReceiver {
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private gone: Error | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    /** http://127.0.0.1:<port> */
    readonly url: string,
  ) {
    child.on('message', (message: ReceiverMessage) => {
      if (!('seq' in message)) return;
      const waiting = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      waiting?.resolve(message);
    });
    void exited.then(() => {
      this.gone = new Error('the webhook receiver exited');
      for (const waiting of this.pending.values()) waiting.reject(this.gone);
      this.pending.clear();
    });
  }

  static start(cleanups: Cleanups): Promise<WebhookReceiver> {
    const child = fork(join(benchDir, 'receiver.ts'), [], { execArgv: ['--import', 'tsx'], cwd: dirname(benchDir), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    cleanups.track(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      void exited.then(() => reject(new Error('the webhook receiver exited before it listened')));
      child.once('message', (message: ReceiverMessage) => {
        if (message.type === 'listening') resolve(new WebhookReceiver(child, exited, `http://127.0.0.1:${message.port}`));
      });
    });
  }

  /** What arrived since the last take. */
  async take(): Promise<Arrival[]> {
    const answer = await this.ask({ type: 'take' });
    return answer.type === 'arrivals' ? answer.arrivals : [];
  }

  /** Waits until every one of `eventIds` arrived `each` times (true), or `timeoutMs` passed (false). */
  async awaitEvents(eventIds: readonly number[], each: number, timeoutMs: number): Promise<boolean> {
    const answer = await this.ask({ type: 'await', eventIds: [...eventIds], each, timeoutMs });
    return answer.type === 'awaited' && answer.complete;
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  private ask(request: Unnumbered<ReceiverRequest>): Promise<ReceiverMessage> {
    return new Promise((resolve, reject) => {
      if (this.gone) return reject(this.gone);
      const seq = ++this.seq;
      this.pending.set(seq, { resolve, reject });
      this.child.send({ ...request, seq } as ReceiverRequest);
    });
  }
}
