import type { BenchOptions } from './args.js';
import type { Cleanups } from './cleanup.js';
import type { LoadGenerator } from './load-generator.js';
import type { Part } from './report.js';

/** What a scenario works with in a database's process: handed down, never held in a module. */
export interface ScenarioContext {
  options: BenchOptions;
  log(line: string): void;
  /** what the scenarios found so far: rows, ratios and diagnostics, sent to the orchestrator */
  part: Part;
  generator: LoadGenerator;
  /** signs the monitoring token and checks it */
  secretKey: string;
  /** what to undo if the bench is interrupted: child processes a scenario starts */
  cleanups: Cleanups;
}
