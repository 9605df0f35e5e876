/** The post scenarios: monitoring reports, closed loop and paced, while the bench resolves incidents. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signApiToken } from '../src/auth/api-tokens.js';
import type { Dialect, Store } from '../src/storage/store.js';
import { statusReportBodies } from './catalog.js';
import type { ScenarioContext } from './context.js';
import { auditCounts, resolveOpenIncidents } from './incidents.js';
import type { Measured } from './load-generator.js';
import type { LoadSpec } from './load.js';
import { describePost, GOALS } from './report.js';
import { BENCH_PAYLOAD_KEY, startOurServer } from './server.js';

interface PostMix {
  name: string;
  /** components that report; undefined: all of them */
  failing: number | undefined;
}

/** Every mix, closed loop and then paced at the goal rate, on the longest history; `tmp` holds the bodies. */
export async function postScenarios(store: Store, dialect: Dialect, history: number, tmp: string, context: ScenarioContext): Promise<void> {
  const { options, generator } = context;
  const ours = await startOurServer(store, context.secretKey);
  const token = await signApiToken({ secretKey: context.secretKey, payloadKey: BENCH_PAYLOAD_KEY }, { subject: 'bench-monitoring' });
  const goal = GOALS.posts[dialect];
  const mixes: PostMix[] = [
    { name: `${options.failing} failing components`, failing: options.failing },
    { name: 'all 500 components failing', failing: undefined },
  ];
  try {
    for (const mix of mixes) {
      const bodiesFile = join(tmp, `bodies-${dialect}-${mix.failing ?? 'all'}.json`);
      writeFileSync(bodiesFile, JSON.stringify(statusReportBodies(20_000, 7, mix.failing)));
      for (const rate of [undefined, goal]) {
        await resolveOpenIncidents(store);
        const auditBefore = await auditCounts(store);
        const resolved = { events: 0, maxLinks: 0 };
        let resolving = Promise.resolve();
        const timer =
          options.resolveEvery > 0
            ? setInterval(() => {
                resolving = resolving.then(async () => {
                  const { events, links } = await resolveOpenIncidents(store);
                  resolved.events += events;
                  resolved.maxLinks = Math.max(resolved.maxLinks, links);
                });
              }, options.resolveEvery)
            : undefined;
        let measured: Measured;
        try {
          const spec: LoadSpec = {
            url: `${ours.url}/api/v1/component_status`,
            method: 'POST',
            connections: options.postConnections,
            duration: options.duration,
            warmup: options.warmup,
            headers: { authorization: `Bearer ${token}` },
            bodiesFile,
          };
          if (rate !== undefined) spec.overallRate = rate;
          measured = await generator.run(spec);
        } finally {
          if (timer) clearInterval(timer);
          await resolving;
        }
        const auditAfter = await auditCounts(store);
        const { line, row } = describePost({
          database: dialect,
          history,
          mix: mix.name,
          rate,
          goal,
          postConnections: options.postConnections,
          measured,
          audit: { before: auditBefore, after: auditAfter },
          resolved,
        });
        context.log(line);
        context.part.rows.push(row);
      }
    }
  } finally {
    await ours.close();
  }
}
