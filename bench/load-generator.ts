import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Cleanups } from './cleanup.js';
import type { LoadResult, LoadSpec } from './load.js';
import type { AnswerTimes } from './server.js';

const benchDir = dirname(fileURLToPath(import.meta.url));

export interface Measured {
  load: LoadResult;
  /** CPU of this (the server) process over the measured run, µs */
  serverCpuMicros: number;
  /** CPU of this (the server) process over the measured run, µs per response */
  serverCpuPerResponse: number;
  /** share of one core this process used */
  serverCpu: number;
  /** event loop utilisation of this process */
  serverElu: number;
  /** when asked for: how late this process's event loop ran over the measured run, ms */
  serverLoopDelay?: { p99: number; max: number };
  /** when asked for: the server's own time for each POST answered over the measured run, ms */
  serverAnswerTimes?: number[];
}

/** The event loop's delay is sampled every this many ms when a run asks for it. */
const LOOP_DELAY_RESOLUTION_MS = 2;

/**
 * The load generator process (bench/load.ts), started once and kept warm; runs go one at a time.
 * This process's CPU and event-loop use are measured exactly over each measured run (the child
 * says when it starts).
 */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { onLine(line: string): void; fail(error: Error): void } | undefined;
  private gone: Error | undefined;

  constructor(cleanups: Cleanups) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'load.ts')], { cwd: dirname(benchDir), stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.track(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.gone = new Error(`load generator exited with ${code ?? 'a signal'}`);
        this.pending?.fail(this.gone);
        resolve(code);
      }),
    );
    let buffered = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.pending?.onLine(line);
      }
    });
  }

  /**
   * Runs `spec`; with `loopDelay`, this process's event-loop delay is measured over it too, and
   * with `answerTimes`, the server's own time for each POST.
   */
  run(spec: LoadSpec, { loopDelay = false, answerTimes }: { loopDelay?: boolean; answerTimes?: AnswerTimes } = {}): Promise<Measured> {
    const next = this.queue.then(() => this.measure(spec, loopDelay, answerTimes));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.exited;
  }

  private measure(spec: LoadSpec, loopDelay: boolean, answerTimes: AnswerTimes | undefined): Promise<Measured> {
    return new Promise((resolve, reject) => {
      if (this.gone) return reject(this.gone);
      let cpuStart: NodeJS.CpuUsage | undefined;
      let eluStart: EventLoopUtilization | undefined;
      let started = 0;
      let delay: IntervalHistogram | undefined;
      this.pending = {
        fail: (error) => {
          delay?.disable();
          answerTimes?.stop();
          reject(error);
        },
        onLine: (line) => {
          if (line === 'measuring') {
            if (loopDelay) {
              delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
              delay.enable();
            }
            answerTimes?.start();
            cpuStart = process.cpuUsage();
            eluStart = performance.eventLoopUtilization();
            started = performance.now();
          } else if (line.startsWith('{')) {
            const cpu = process.cpuUsage(cpuStart);
            const elu = performance.eventLoopUtilization(eluStart);
            const seconds = (performance.now() - started) / 1000;
            const load = JSON.parse(line) as LoadResult;
            const cpuMicros = cpu.user + cpu.system;
            this.pending = undefined;
            delay?.disable();
            resolve({
              ...(delay && { serverLoopDelay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 } }),
              ...(answerTimes && { serverAnswerTimes: answerTimes.stop() }),
              load,
              serverCpuMicros: cpuMicros,
              serverCpuPerResponse: load.responses > 0 ? cpuMicros / load.responses : 0,
              serverCpu: cpuMicros / 1e6 / seconds,
              serverElu: elu.utilization,
            });
          }
        },
      };
      this.child.stdin?.write(`${JSON.stringify(spec)}\n`);
    });
  }
}
