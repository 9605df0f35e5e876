import type { ChildProcess } from 'node:child_process';

/**
 * What a bench process must undo if it is interrupted: child processes to end, databases and
 * folders to remove. One per process, handed to whatever starts or creates something.
 */
export class Cleanups {
  private readonly children = new Set<ChildProcess>();
  private readonly steps = new Set<() => Promise<void>>();

  /** Ends `child` on a signal, until it exits. */
  track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  /** Runs `step` on a signal, until the returned function is called. */
  add(step: () => Promise<void>): () => void {
    this.steps.add(step);
    return () => this.steps.delete(step);
  }

  /** On SIGINT or SIGTERM: end the children, run the pending steps, exit with 130. */
  onSignals(log: (line: string) => void): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        log(`\n${signal}: cleaning up`);
        for (const child of this.children) child.kill();
        void Promise.allSettled([...this.steps].map((step) => step())).then(() => process.exit(130));
      });
    }
  }
}
