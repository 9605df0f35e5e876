/**
 * One database's bench, in a process of its own (bench/run.ts starts it with --part), as
 * production runs one store per process: what one database's run leaves in the heap does not
 * weigh on the next. Its findings go to the --part file as JSON.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncCatalog } from '../src/storage/components.js';
import { migrateToLatest, openStore, type Dialect } from '../src/storage/store.js';
import type { BenchOptions } from './args.js';
import { capacityScenario } from './capacity.js';
import { benchCatalog } from './catalog.js';
import type { Cleanups } from './cleanup.js';
import { createBenchDatabase } from './databases.js';
import { LoadGenerator } from './load-generator.js';
import { notificationScenarios } from './notifications.js';
import { postScenarios } from './posts.js';
import { readScenarios, versionCheckCost, type History } from './reads.js';
import { fmt, type Part } from './report.js';
import { seedHistory } from './seed.js';

/** Benches the one database of `options.databases` and writes what it found to `file`. */
export async function runWorker(options: BenchOptions, file: string, cleanups: Cleanups, log: (line: string) => void): Promise<void> {
  const part: Part = { rows: [], ratios: [], findings: [] };
  const [dialect] = options.databases;
  if (dialect) await benchDatabase(dialect, options, part, cleanups, log);
  writeFileSync(file, JSON.stringify(part));
}

/**
 * One database per history size, each seeded the same way up to its size (the first 500 events
 * of the 50,000 are the 500), so that the read scenarios can serve every size side by side.
 */
async function benchDatabase(dialect: Dialect, options: BenchOptions, part: Part, cleanups: Cleanups, log: (line: string) => void): Promise<void> {
  log(`\n## ${dialect}`);
  const histories: History[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'sd-bench-bodies-'));
  const steps: (() => Promise<void>)[] = [async () => rmSync(tmp, { recursive: true, force: true })];
  // Run once, however many callers (the run's end and a signal) ask: each waits for all of it.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) await step();
    })());
  const done = cleanups.add(cleanup);
  try {
    const now = Date.now();
    for (const history of options.sizes) {
      const database = await createBenchDatabase(dialect, options.pgUrl);
      if (typeof database === 'string') {
        log(database);
        part.findings.push(database);
        return;
      }
      const store = openStore(database.url);
      steps.push(async () => {
        await store.close().catch(() => undefined);
        await database.cleanup();
      });
      await migrateToLatest(store);
      const catalog = await syncCatalog(store, benchCatalog(), now, 'bench:catalog');
      const componentIds = catalog.created.map((component) => component.id);
      let seeded = 0;
      for (const size of options.sizes.filter((size) => size <= history)) {
        const result = await seedHistory(store, { count: size - seeded, componentIds, now, seed: size, analyze: options.analyze });
        seeded = size;
        if (size === history)
          log(
            `  ${fmt(history)} past events: ${componentIds.length} components, last step seeded ${fmt(result.events)} events, ${fmt(result.links)} links, ` +
              `${fmt(result.updates)} updates in ${fmt(result.milliseconds)} ms (revision ${result.revision}` +
              `${dialect === 'postgres' ? (options.analyze ? ', then ANALYZE' : ', no ANALYZE') : ''})`,
          );
      }
      histories.push({ history, store });
    }
    const longest = histories[histories.length - 1];
    if (!longest) return;
    const generator = new LoadGenerator(cleanups);
    steps.push(() => generator.close());
    const context = { options, log, part, generator, secretKey: randomBytes(32).toString('base64url'), cleanups };
    if (options.scenarios.has('reads')) {
      log(`\n### ${dialect}, reads`);
      await readScenarios(histories, dialect, context);
      await versionCheckCost(longest.store, dialect, context);
    }
    if (options.scenarios.has('capacity')) {
      log(`\n### ${dialect}, readers with a page open, on ${fmt(longest.history)} past events`);
      await capacityScenario(longest.store, dialect, longest.history, context);
    }
    if (options.scenarios.has('posts')) {
      log(`\n### ${dialect}, posts on ${fmt(longest.history)} past events`);
      await postScenarios(longest.store, dialect, longest.history, tmp, context);
    }
    if (options.scenarios.has('notifications')) {
      log(`\n### ${dialect}, notifications on ${fmt(longest.history)} past events`);
      await notificationScenarios(longest.store, dialect, longest.history, tmp, context);
    }
  } finally {
    done();
    await cleanup();
  }
}
