/** Where a command writes, reads and takes its settings from: the process's own, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** the environment the SD_ settings come from (default: process.env) */
  env?: Record<string, string | undefined>;
  /** where `operator add|passwd` read the password (default: process.stdin) */
  stdin?: PasswordInput;
  /** `serve` stops when this aborts (default: on SIGTERM or SIGINT) */
  signal?: AbortSignal;
}

/** A password source: a piped stream, or a terminal (then the password is asked for, hidden). */
export type PasswordInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
