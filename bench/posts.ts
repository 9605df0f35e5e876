/** The post scenarios: monitoring reports, closed loop and paced, while the bench resolves incidents. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signApiToken } from '../src/auth/api-tokens.js';
import type { Dialect, Store } from '../src/storage/store.js';
import { statusReportBodies } from './catalog.js';
import type { ScenarioContext } from './context.js';
import { auditCounts, resolveOpenIncidents, whileResolving } from './incidents.js';
import type { LoadSpec } from './load.js';
import { describePost, GOALS } from './report.js';
import { BENCH_PAYLOAD_KEY, startOurServer } from './server.js';

export interface PostMix {
  name: string;
  /** components that report; undefined: all of them */
  failing: number | undefined;
}

/** The steady state (`failing` components report) and a whole-cloud outage (all 500 do). */
export function postMixes(failing: number): PostMix[] {
  return [
    { name: `${failing} failing components`, failing },
    { name: 'all 500 components failing', failing: undefined },
  ];
}

/** The mix's request bodies, written to a file in `tmp` for the load generator; its path. */
export function mixBodies(tmp: string, dialect: Dialect, mix: PostMix): string {
  const file = join(tmp, `bodies-${dialect}-${mix.failing ?? 'all'}.json`);
  writeFileSync(file, JSON.stringify(statusReportBodies(20_000, 7, mix.failing)));
  return file;
}

/** Every mix, closed loop and then paced at the goal rate, on the longest history; `tmp` holds the bodies. */
export async function postScenarios(store: Store, dialect: Dialect, history: number, tmp: string, context: ScenarioContext): Promise<void> {
  const { options, generator } = context;
  const ours = await startOurServer(store, context.secretKey);
  const token = await signApiToken({ secretKey: context.secretKey, payloadKey: BENCH_PAYLOAD_KEY }, { subject: 'bench-monitoring' });
  const goal = GOALS.posts[dialect];
  try {
    for (const mix of postMixes(options.failing)) {
      const bodiesFile = mixBodies(tmp, dialect, mix);
      for (const rate of [undefined, goal]) {
        await resolveOpenIncidents(store);
        const auditBefore = await auditCounts(store);
        const spec = postLoad(ours.url, token, options, bodiesFile, rate);
        const { result: measured, resolved } = await whileResolving(store, options.resolveEvery, () => generator.run(spec));
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

/** The monitoring posts of a run: reports from `bodiesFile` to our server, closed loop or paced at `rate`. */
export function postLoad(serverUrl: string, token: string, options: ScenarioContext['options'], bodiesFile: string, rate?: number): LoadSpec {
  const spec: LoadSpec = {
    url: `${serverUrl}/api/v1/component_status`,
    method: 'POST',
    connections: options.postConnections,
    duration: options.duration,
    warmup: options.warmup,
    headers: { authorization: `Bearer ${token}` },
    bodiesFile,
  };
  if (rate !== undefined) spec.overallRate = rate;
  return spec;
}
