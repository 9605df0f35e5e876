import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchArgs, type BenchOptions } from '../../bench/args.js';
import type { Measured } from '../../bench/load-generator.js';
import {
  describeBurst,
  describeNotifiedPosts,
  describePost,
  describeRead,
  describeReaders,
  environment,
  fmt,
  megabytes,
  reportDocument,
  signed,
  summary,
  table,
  type ReadRatio,
  type Row,
} from '../../bench/report.js';

const latency = (p50: number, p99: number) => ({ count: 1, p50, p90: p99, p99, max: p99 });

function measured(responses: number, seconds: number, p99: number, statusCodes: Record<string, number>, cpuMicros: number, extra: Partial<Measured['load']> = {}): Measured {
  return {
    load: {
      responses,
      seconds,
      rps: responses / seconds,
      latency: latency(p99 / 2, p99),
      latencyByStatus: Object.fromEntries(Object.keys(statusCodes).map((code) => [code, latency(p99 / 2, p99)])),
      statusCodes,
      errors: 0,
      timeouts: 0,
      bytesPerResponse: 100,
      loadCpu: 0.5,
      ...extra,
    },
    serverCpuMicros: cpuMicros,
    serverCpuPerResponse: cpuMicros / responses,
    serverCpu: 0.75,
    serverElu: 0.5,
  };
}

function defaults(argv: string[] = []): BenchOptions {
  const parsed = parseBenchArgs(argv);
  if (parsed.help) throw new Error('no options');
  return parsed.options;
}

const readRow: Row = {
  scenario: 'GET /component_status',
  database: 'sqlite',
  history: 50_000,
  ours: 7293.4,
  bare: 6687,
  ratio: 1.09,
  cpu: { ours: 104, bare: 102 },
  p99: 27.46,
  notes: '0.46 MB, 50 conns, 20 rounds; load generator 106% CPU',
  goal: '✅ ≥ 40%',
};
const postRow: Row = { ...readRow, scenario: 'POST /component_status, 25 failing components, 50 conns (max)', bare: undefined, ratio: undefined, cpu: { ours: 45, bare: undefined }, notes: 'n', goal: '✅ ≥ 1000/s' };

describe('bench report', () => {
  it('formats numbers, sizes and signed changes', () => {
    assert.equal(fmt(1234.4), '1,234');
    assert.equal(fmt(12.34, 1), '12.3');
    assert.equal(fmt(0, 1), '0.0');
    assert.equal(megabytes(5 * 1024), '5.0 KB');
    assert.equal(megabytes(512 * 1024), '0.50 MB');
    assert.equal(megabytes(38.2 * 1024 * 1024), '38.2 MB');
    assert.equal(signed(0.08), '+8%');
    assert.equal(signed(0), '+0%');
    assert.equal(signed(-0.05), '-5%');
  });

  it('draws the table: right-aligned numbers, dashes where there is no bare server', () => {
    assert.equal(
      table([readRow, postRow]),
      [
        '| Scenario | Database | History | Our req/s | Bare req/s | Ratio | p99 ms (ours) | Server CPU µs/req ours / bare | Goal | Notes |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
        '| GET /component_status | sqlite | 50,000 | 7,293 | 6,687 | 109% | 27.5 | 104 / 102 | ✅ ≥ 40% | 0.46 MB, 50 conns, 20 rounds; load generator 106% CPU |',
        '| POST /component_status, 25 failing components, 50 conns (max) | sqlite | 50,000 | 7,293 | — | — | 27.5 | 45 | ✅ ≥ 1000/s | n |',
      ].join('\n'),
    );
  });

  it('describes a read: its row, its log line and its ratio', () => {
    const { row, line, ratio } = describeRead({
      database: 'postgres',
      history: 500,
      path: '/api/v1/incidents',
      encoding: 'identity',
      contentType: 'application/json; charset=utf-8',
      bytes: 200 * 1024,
      identityBytes: 200 * 1024,
      connections: 50,
      rounds: 2,
      ours: [measured(100, 1, 10, { '200': 100 }, 10_000), measured(100, 1, 12, { '200': 100 }, 10_000)],
      bare: [measured(200, 1, 5, { '200': 200 }, 10_000), measured(200, 1, 6, { '200': 200 }, 10_000)],
    });
    assert.deepEqual(row, {
      scenario: 'GET /incidents',
      database: 'postgres',
      history: 500,
      ours: 100,
      bare: 200,
      ratio: 0.5,
      cpu: { ours: 100, bare: 50 },
      p99: 12,
      notes: '0.20 MB, 50 conns, 2 rounds; load generator 50% CPU',
      goal: '✅ ≥ 40%',
    });
    assert.equal(
      line,
      '  500 events, GET /api/v1/incidents (0.20 MB, 50 conns): ours 100 req/s (p99 12.0 ms, server CPU 75%, 100 µs/req), bare 200 req/s (p99 6.0 ms, server CPU 75%, 50 µs/req), ratio 50%, server CPU ratio 50%; load generator CPU 50% / 50%',
    );
    assert.deepEqual(ratio, {
      database: 'postgres',
      path: '/api/v1/incidents',
      history: 500,
      rounds: [
        { ours: { responses: 100, seconds: 1 }, bare: { responses: 200, seconds: 1 } },
        { ours: { responses: 100, seconds: 1 }, bare: { responses: 200, seconds: 1 } },
      ],
      cpuRatio: 0.5,
      cpuOurs: 100,
      bytes: 200 * 1024,
    });
  });

  it('describes a compressed read: its encoding in the row, line and ratio, its size beside the uncompressed one', () => {
    const read = {
      database: 'sqlite' as const,
      history: 50_000,
      path: '/history',
      contentType: 'text/html; charset=utf-8',
      identityBytes: 40 * 1024,
      connections: 50,
      rounds: 1,
      ours: [measured(300, 1, 4, { '200': 300 }, 1000)],
      bare: [measured(400, 1, 2, { '200': 400 }, 500)],
    };
    const br = describeRead({ ...read, encoding: 'br', bytes: 10 * 1024 });
    assert.equal(br.row.scenario, 'GET /history (HTML page), br');
    assert.equal(br.row.notes, '10.0 KB br, 25.0% of 40.0 KB, 50 conns, 1 rounds; load generator 50% CPU');
    assert.equal(br.row.ratio, 0.75);
    assert.equal(br.ratio.path, '/history (br)');
    assert.equal(br.ratio.bytes, 10 * 1024);
    assert.match(br.line, /^ {2}50,000 events, GET \/history \(br\) \(10\.0 KB br, 25\.0% of 40\.0 KB, 50 conns\): ours 300 req\/s/);
    const gzip = describeRead({ ...read, path: '/api/v1/incidents', contentType: 'application/json', encoding: 'gzip', bytes: 3 * 1024 * 1024, identityBytes: 38 * 1024 * 1024 });
    assert.equal(gzip.row.scenario, 'GET /incidents, gzip');
    assert.match(gzip.row.notes, /^3\.0 MB gzip, 7\.9% of 38\.0 MB, /);
    const identity = describeRead({ ...read, encoding: 'identity', bytes: 40 * 1024 });
    assert.equal(identity.ratio.path, '/history');
    // Each encoding is summarised on its own line.
    const options = defaults(['--sizes', '500,50000', '--databases', 'sqlite']);
    const atSmall = (ratio: ReadRatio): ReadRatio => ({ ...ratio, history: 500 });
    const lines = summary([atSmall(br.ratio), br.ratio, atSmall(identity.ratio), identity.ratio], options);
    assert.deepEqual(
      lines.map((each) => each.split(' on ')[0]),
      ['- GET /history (br)', '- GET /history'],
    );
  });

  it('fails a read below the ratio goal or with other answers, and marks HTML pages', () => {
    const slow = describeRead({ database: 'sqlite', history: 0, path: '/history', encoding: 'identity', contentType: 'text/html; charset=utf-8', bytes: 1024, identityBytes: 1024, connections: 8, rounds: 1, ours: [measured(30, 1, 1, { '200': 30 }, 1)], bare: [measured(100, 1, 1, { '200': 100 }, 1)] });
    assert.equal(slow.row.scenario, 'GET /history (HTML page)');
    assert.equal(slow.row.goal, '❌ < 40%');
    const failing = describeRead({ database: 'sqlite', history: 0, path: '/', encoding: 'identity', contentType: 'text/html', bytes: 1024, identityBytes: 1024, connections: 8, rounds: 1, ours: [measured(100, 1, 1, { '200': 97, '500': 3 }, 1)], bare: [measured(100, 1, 1, { '200': 100 }, 1)] });
    assert.equal(failing.row.goal, '❌ < 40% or errors');
    assert.match(failing.row.notes, /; \*\*3 non-200\/errors\*\*$/);
  });

  it('describes a post run: closed loop judged on its rate, paced also on its p99', () => {
    const base = {
      database: 'sqlite' as const,
      history: 50_000,
      mix: '25 failing components',
      goal: 1000,
      postConnections: 50,
      audit: { before: { opened: 10, updated: 4 }, after: { opened: 15, updated: 9 } },
      resolved: { events: 3, maxLinks: 25 },
    };
    const closed = describePost({ ...base, rate: undefined, measured: measured(2000, 1, 80, { '201': 100, '409': 1900 }, 90_000) });
    assert.equal(closed.row.scenario, 'POST /component_status, 25 failing components, 50 conns (max)');
    assert.equal(closed.row.goal, '✅ ≥ 1000/s');
    assert.equal(closed.row.cpu.ours, 45);
    assert.equal(closed.row.notes, '201×100 (p99 80.0 ms), 409×1900 (p99 80.0 ms); no other status; up to 25 components in open incidents; server 75% CPU');
    assert.match(closed.line, /^ {2}POST \/component_status, 25 failing components, closed loop, 50 conns: 2,000 posts\/s, p50 40\.0 ms, p99 80\.0 ms /);
    assert.match(closed.line, /audit \(incl\. warm-up\): 5 incidents opened, 5 changed; the bench resolved 3 incidents, holding up to 25 components;/);

    const paced = describePost({ ...base, rate: 1000, measured: measured(990, 1, 80, { '201': 90, '409': 900 }, 90_000) });
    assert.equal(paced.row.scenario, 'POST /component_status, 25 failing components, paced 1000/s');
    assert.equal(paced.row.goal, '❌ ≥ 1000/s, p99 < 50 ms', 'p99 80 ms is over the goal');
    const pacedFast = describePost({ ...base, rate: 1000, measured: measured(975, 1, 20, { '201': 75, '409': 900 }, 90_000) });
    assert.equal(pacedFast.row.goal, '✅ ≥ 1000/s, p99 < 50 ms', '97.5% of the goal rate is within the 3% allowed');

    const failing = describePost({ ...base, rate: undefined, measured: measured(2000, 1, 20, { '201': 100, '409': 1800, '503': 100 }, 1, { errors: 2 }) });
    assert.equal(failing.row.goal, '❌ ≥ 1000/s');
    assert.match(failing.row.notes, /; \*\*failures: 503×100 errors×2\*\*; /);
    assert.match(failing.line, /, FAILURES: 503×100 errors×2; /);
  });

  const ratio = (database: 'sqlite' | 'postgres', history: number, ours: number): ReadRatio => ({
    database,
    path: '/api/v1/component_status',
    history,
    rounds: [{ ours: { responses: ours, seconds: 1 }, bare: { responses: 100, seconds: 1 } }],
    cpuRatio: 0.5,
    cpuOurs: 200,
    bytes: 480 * 1024,
  });

  it('summarises the ratio change from the smallest to the largest history, per database', () => {
    const options = defaults(['--sizes', '500,50000', '--databases', 'sqlite']);
    assert.deepEqual(summary([ratio('sqlite', 500, 60), ratio('sqlite', 50_000, 63), ratio('postgres', 500, 10)], options), [
      '- GET /api/v1/component_status on sqlite: ratio 60% at 500 events, 63% at 50,000 events → change +5% ✅ (goal ±10%; 90% interval +5% to +5% over 1 rounds); ' +
        'server CPU per answer, bare/ours: 50% → 50% (+0%); ours 200 → 200 µs (+0%) for 0.47 MB → 0.47 MB',
    ]);
    assert.match(summary([ratio('sqlite', 500, 60), ratio('sqlite', 50_000, 45)], options)[0] ?? '', /change -25% ❌/);
    assert.deepEqual(summary([ratio('sqlite', 500, 60)], options), [], 'no line without both sizes');
    assert.deepEqual(summary([ratio('sqlite', 500, 60), ratio('sqlite', 500, 60)], defaults(['--sizes', '500'])), [], 'one size: nothing to compare');
  });

  it('writes the whole document: settings, table, how to read it, history size, diagnostics, time', () => {
    const options = defaults(['--duration', '2', '--rounds', '3', '--failing', '7', '--resolve-every', '1500', '--scenarios', 'reads,posts']);
    const env = environment(options, 'commit abc1234', { node: 'v20.0.0', cpus: 2, model: 'Test CPU' });
    assert.equal(
      env,
      'commit abc1234; Node v20.0.0, 2 × Test CPU; reads: 3 rounds of 1 s slices alternating ours/bare and sizes (ABBA), posts: 2 s per run; 1 s warm-up; GET with 50 connections, POST with 50; ' +
        'servers in a process per database, load generator (autocannon) in one long-lived child process of it; GET connections capped at 400 MB in flight; ' +
        'during posts every open incident is resolved each 1500 ms (as operators would), so the rules keep opening, joining and escalating',
    );
    assert.doesNotMatch(environment(defaults(['--resolve-every', '0']), 'commit x', { node: 'v20', cpus: 1, model: 'm' }), /resolved each/);
    const document = reportDocument({
      at: new Date('2026-12-01T10:00:00.000Z'),
      environment: env,
      part: { rows: [readRow], ratios: [ratio('sqlite', 500, 60), ratio('sqlite', 50_000, 60)], findings: ['version check (sqlite): fast'] },
      options,
      seconds: 151.4,
    });
    const lines = document.split('\n');
    assert.equal(lines[0], '# Status Dashboard benchmark');
    assert.equal(lines[2], `2026-12-01T10:00:00.000Z — ${env}.`);
    assert.equal(lines[4], '| Scenario | Database | History | Our req/s | Bare req/s | Ratio | p99 ms (ours) | Server CPU µs/req ours / bare | Goal | Notes |');
    assert.ok(lines.includes('How to read it:'));
    assert.ok(lines.some((line) => line.startsWith('- Mixes: “7 failing components” is a steady state') && line.endsWith('Every 1500 ms the bench resolves all open incidents, as operators would, so the rules keep opening new ones.')));
    assert.ok(lines.includes('## History size'));
    assert.ok(lines.some((line) => line.startsWith('- GET /api/v1/component_status on sqlite: ratio 60% at 500 events, 60% at 50,000 events → change +0% ✅')));
    assert.deepEqual(lines.slice(lines.indexOf('## Diagnostics')), ['## Diagnostics', '', '- version check (sqlite): fast', '', 'Total time 151 s.', '']);
    assert.ok(!lines.some((line) => line.startsWith('- Webhooks:')), 'no notification notes without the scenario');
  });

  it('draws a dash for CPU where a row has no unit to share it by', () => {
    const latencyRow: Row = { ...postRow, scenario: 'Report → first webhook', cpu: { ours: undefined, bare: undefined } };
    assert.match(table([latencyRow]).split('\n')[2] ?? '', /^\| Report → first webhook \| sqlite \| 50,000 \| 7,293 \| — \| — \| 27\.5 \| — \| /);
  });

  describe('notifications', () => {
    const created = [
      { id: 11, at: 1000 },
      { id: 12, at: 1100 },
    ];
    /** Every event at each of `webhooks`, the first `firstAfter` ms after it started, the next 10 ms apart. */
    const deliveries = (events: readonly { id: number; at: number }[], webhooks: number, firstAfter: number) =>
      events.flatMap((event) => Array.from({ length: webhooks }, (_, hook) => ({ eventId: event.id, at: event.at + firstAfter + hook * 10, repeat: false })));

    it('describes a burst: deliveries per second, how long until every webhook had each event, each once', () => {
      const arrivals = [...deliveries(created, 3, 500), { eventId: 99, at: 5000, repeat: false }];
      const { row, line } = describeBurst({ database: 'sqlite', history: 500, webhooks: 3, created, creatingMs: 120, arrivals, failed: 0, serverCpuMicros: 600_000 });
      assert.equal(row.scenario, 'Webhooks: 2 maintenances at once × 3 webhooks');
      assert.equal(row.ours, 5 / 0.12, 'six deliveries from 1,500 to 1,620 ms; the other event left out');
      assert.equal(row.p99, 520);
      assert.equal(row.cpu.ours, 100_000);
      assert.equal(row.goal, '✅ each delivered once');
      assert.equal(
        row.notes,
        '6 of 6 deliveries, 0.1 s from the first arrival to the last, the last 0.5 s after the last maintenance was created (creating them took 120 ms); ' +
          'creation → every webhook had it: p50 520 ms, p99 520 ms, max 520 ms; → first webhook: p50 500 ms, p99 500 ms, max 500 ms; none twice, none given up; server 97% CPU',
      );
      assert.match(line, /^ {2}Webhooks: 2 maintenances at once × 3 webhooks: 42 deliveries\/s; 6 of 6 deliveries/);
    });

    it('fails a burst with a repeat, a delivery given up or one missing', () => {
      const all = deliveries(created, 2, 100);
      const repeated = describeBurst({ database: 'postgres', history: 0, webhooks: 2, created, creatingMs: 1, arrivals: [...all, { ...all[0]!, at: 9000, repeat: true }], failed: 0, serverCpuMicros: 1 });
      assert.equal(repeated.row.goal, '❌ each delivered once');
      assert.match(repeated.row.notes, /\*\*1 arrived twice\*\*, none given up/);
      const missing = describeBurst({ database: 'postgres', history: 0, webhooks: 2, created, creatingMs: 1, arrivals: all.slice(1), failed: 1, serverCpuMicros: 1 });
      assert.equal(missing.row.goal, '❌ each delivered once');
      assert.match(missing.row.notes, /^3 of 4 deliveries/);
      assert.match(missing.row.notes, /none twice, \*\*1 given up\*\*, \*\*1 events not at every webhook\*\*; /);
    });

    const pacedRun = (p99: number, opened: { id: number; at: number }[] = [], loopDelay = { p99: 2, max: 5 }): Measured => {
      const run = measured(1000, 1, p99, { '201': 10, '409': 990 }, 300_000, {
        samples: { '201': Array.from({ length: 10 }, (_, i) => p99 - i), '409': Array.from({ length: 990 }, (_, i) => (i < 10 ? p99 : 1)) },
        opened,
      });
      return { ...run, serverLoopDelay: loopDelay };
    };

    /** The steady mix with two webhooks on SQLite. */
    const steadyMix = (without: Measured[], withRuns: Measured[], arrivals: Parameters<typeof describeNotifiedPosts>[0]['arrivals']) =>
      describeNotifiedPosts({ database: 'sqlite', history: 500, mix: '25 failing components', goal: 1000, webhooks: 2, without, with: withRuns, arrivals });

    it('describes a mix without and with notifications: pooled p99s, the change judged against +10%, and report → first webhook', () => {
      const opened = [
        { id: 1, at: 0 },
        { id: 2, at: 1000 },
      ];
      const result = steadyMix([pacedRun(10), pacedRun(10)], [pacedRun(10.5, opened, { p99: 4, max: 40 }), pacedRun(10.5)], [deliveries(opened, 2, 300), []]);
      const [without, notified, latency] = result.rows;
      assert.equal(result.rows.length, 3);
      assert.equal(without?.scenario, 'POST /component_status, 25 failing components, paced 1000/s, without notifications');
      assert.equal(without?.p99, 10);
      assert.equal(without?.goal, '✅ ≥ 1000/s, p99 < 50 ms');
      assert.equal(
        without?.notes,
        '2 runs, p99 over all 2,000 requests; 201×20 (p99 10.0 ms), 409×1980 (p99 10.0 ms); no other status; p50 1.0 ms, max 10.0 ms; ' +
          'server 75% CPU, its event loop late by up to 2.0 ms at p99 and 5.0 ms at most; no notifier running',
      );
      assert.equal(notified?.scenario, 'POST /component_status, 25 failing components, paced 1000/s, 2 webhooks receiving');
      assert.equal(notified?.p99, 10.5);
      assert.equal(notified?.goal, '✅ p99 ≤ +10% of without: +5% (90% interval +5% to +5% over 2 rounds)');
      assert.match(notified?.notes ?? '', /its event loop late by up to 4\.0 ms at p99 and 40\.0 ms at most; the notifier delivered 4 messages meanwhile$/);
      assert.equal(latency?.scenario, 'Report → first webhook, 25 failing components, 2 webhooks');
      assert.equal(latency?.p99, 300);
      assert.equal(latency?.ours, 3 / 1.01, 'four deliveries from 300 to 1,310 ms');
      assert.deepEqual(latency?.cpu, { ours: undefined, bare: undefined });
      assert.equal(latency?.goal, '✅ every new incident at every webhook, once');
      assert.match(latency?.notes ?? '', /^2 of 2 new incidents reached a webhook: report answered → first webhook p50 300 ms, p99 300 ms, max 300 ms; → all 2 webhooks p50 310 ms, p99 310 ms, max 310 ms; every one at every webhook, none twice; 4 deliveries/);
      assert.equal(result.lines.length, 3);
      assert.match(result.lines[1] ?? '', /^ {2}POST \/component_status, 25 failing components, paced 1000\/s, 2 webhooks receiving: 1,000\/s, p99 10\.5 ms; ✅ p99 ≤ \+10% of without: \+5% \(90% interval \+5% to \+5% over 2 rounds\); 2 runs/);
    });

    it("adds the server's own p99 per post, without and with notifications, when the runs recorded it", () => {
      const inside = (run: Measured, slowest: number): Measured => ({ ...run, serverAnswerTimes: [...Array.from({ length: 96 }, () => 1), slowest, slowest, slowest, slowest] });
      const result = steadyMix([inside(pacedRun(10), 4), inside(pacedRun(10), 4)], [inside(pacedRun(12), 5), inside(pacedRun(12), 5)], [[], []]);
      assert.match(result.rows[1]?.notes ?? '', /; inside the server p99 4\.0 → 5\.0 ms, \+25% \(90% interval \+25% to \+25%\)$/);
      assert.doesNotMatch(result.rows[0]?.notes ?? '', /inside the server/);
    });

    it('fails the mix when notifications make the p99 more than 10% worse, or an incident never reached every webhook', () => {
      const opened = [
        { id: 1, at: 0 },
        { id: 2, at: 0 },
      ];
      const result = describeNotifiedPosts({
        database: 'postgres',
        history: 500,
        mix: 'all 500 components failing',
        goal: 500,
        webhooks: 2,
        without: [pacedRun(20)],
        with: [pacedRun(22.5, opened)],
        arrivals: [deliveries(opened.slice(0, 1), 2, 100)],
      });
      const [, notified, latency] = result.rows;
      assert.equal(notified?.goal, '❌ p99 ≤ +10% of without: +13% (90% interval +13% to +13% over 1 rounds)');
      assert.equal(latency?.goal, '❌ every new incident at every webhook, once');
      assert.match(latency?.notes ?? '', /^1 of 2 new incidents reached a webhook: .*; \*\*1 not at every webhook\*\*, none twice; /);
      const none = describeNotifiedPosts({ database: 'postgres', history: 0, mix: 'm', goal: 500, webhooks: 2, without: [pacedRun(20)], with: [pacedRun(20)], arrivals: [[]] });
      assert.equal(none.rows[2]?.goal, '❌ every new incident at every webhook, once', 'no incident opened: nothing was shown');
    });

    it('names the scenario in the settings and explains its rows', () => {
      const options = defaults(['--webhooks', '5', '--notify-events', '40', '--notify-rounds', '3']);
      assert.match(
        environment(options, 'commit x', { node: 'v20', cpus: 2, model: 'm' }),
        /; notifications: 5 webhooks \(whole cloud\) at a receiver in a process of its own, 40 maintenances at once, 3 rounds of paced posts without and with the webhooks, in turn \(ABBA\)$/,
      );
      const lines = reportDocument({ at: new Date(0), environment: 'e', part: { rows: [], ratios: [], findings: [] }, options, seconds: 1 }).split('\n');
      assert.ok(lines.some((line) => line.startsWith('- Webhooks: 5 of them (whole cloud, json) point at a receiver') && line.includes('“At once”: 40 maintenances created through POST /v2/events')));
      assert.ok(lines.some((line) => line.startsWith('- “without notifications” and “… webhooks receiving”:') && line.includes('at most +10%')));
      assert.ok(lines.some((line) => line.startsWith('- “Report → first webhook”:')));
    });
  });
});

describe('describeReaders', () => {
  const base = { database: 'sqlite' as const, history: 500, path: '/', coding: 'br', connections: 50, pollSeconds: 5 };

  it('counts the readers one instance carries: answers per second times the poll interval, and per core of server CPU', () => {
    const { row, line } = describeReaders({ ...base, unchanged: true, bytes: 0, measured: measured(40_000, 4, 3, { '304': 40_000 }, 400_000) });
    assert.equal(row.scenario, 'Readers of /, unchanged since the last poll (304)');
    assert.equal(row.ours, 10_000);
    assert.equal(row.bare, undefined);
    assert.equal(row.ratio, undefined);
    assert.deepEqual(row.cpu, { ours: 10, bare: undefined });
    assert.equal(row.goal, 'ℹ capacity');
    assert.equal(row.notes, '50,000 readers polling every 5 s (load generator 50% CPU on the same cores); 500,000 per server core; 50 conns');
    assert.match(line, /10,000 answers\/s .* = 50,000 readers polling every 5 s on this machine, 500,000 per core of server CPU/);
  });

  it('names the coding and size of a changed page, and flags answers that are not what a reader gets', () => {
    const changed = describeReaders({ ...base, unchanged: false, bytes: 14 * 1024, measured: measured(1000, 1, 3, { '200': 990, '500': 10 }, 25_000) });
    assert.equal(changed.row.scenario, 'Readers of /, changed at every poll (200, br 14.0 KB)');
    assert.match(changed.row.notes, /\*\*10 not 200\*\*$/);
    assert.equal(changed.row.goal, '❌ not all 200');
  });
});
