import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arrivalRate,
  combine,
  eventLatencies,
  getConnections,
  mean,
  otherStatuses,
  percentiles,
  p99Change,
  pooledLatency,
  ratioChange,
  relativeChange,
  throughputRatio,
  type ArrivalTime,
  type Round,
  type RunMeasure,
} from '../../bench/statistics.js';

const round = (ours: number, bare: number, seconds = 1): Round => ({ ours: { responses: ours, seconds }, bare: { responses: bare, seconds } });

function run(responses: number, seconds: number, p99: number, serverCpuMicros: number, serverCpu: number, loadCpu: number): RunMeasure {
  return { load: { responses, seconds, latency: { p99 }, loadCpu, statusCodes: { '200': responses }, errors: 0 }, serverCpuMicros, serverCpu };
}

describe('bench statistics', () => {
  describe('percentiles (nearest rank)', () => {
    it('are zeros with nothing measured', () => {
      assert.deepEqual(percentiles([]), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
    });

    it('are the one value of one sample', () => {
      assert.deepEqual(percentiles([7.5]), { count: 1, p50: 7.5, p90: 7.5, p99: 7.5, max: 7.5 });
    });

    it('pick the smallest value with at least that share at or below it', () => {
      const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
      assert.deepEqual(percentiles(hundred), { count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
      assert.deepEqual(percentiles([3, 1, 2]), { count: 3, p50: 2, p90: 3, p99: 3, max: 3 });
      assert.deepEqual(percentiles([1, 2, 3, 4]), { count: 4, p50: 2, p90: 4, p99: 4, max: 4 });
    });

    it('sort as numbers, not as text', () => {
      assert.equal(percentiles([10, 9, 100]).p50, 10);
    });
  });

  describe('throughputRatio', () => {
    it('is our total rate over the bare total rate', () => {
      assert.equal(throughputRatio([round(100, 200), round(300, 200)]), 1);
      assert.equal(throughputRatio([round(50, 200)]), 0.25);
    });

    it('weighs each slice by the time it took, as one long run would', () => {
      const rounds: Round[] = [{ ours: { responses: 100, seconds: 2 }, bare: { responses: 100, seconds: 1 } }, round(100, 100)];
      assert.equal(throughputRatio(rounds), 200 / 3 / 100);
    });

    it('counts only the picked rounds, as often as they are picked', () => {
      const rounds = [round(100, 200), round(300, 200)];
      assert.equal(throughputRatio(rounds, [0]), 0.5);
      assert.equal(throughputRatio(rounds, [1, 1]), 1.5);
      assert.equal(throughputRatio(rounds, [0, 0, 1]), 500 / 3 / 200);
    });

    it('is 0 without rounds or without bare answers', () => {
      assert.equal(throughputRatio([]), 0);
      assert.equal(throughputRatio([round(100, 0)]), 0);
      assert.equal(throughputRatio([{ ours: { responses: 5, seconds: 0 }, bare: { responses: 5, seconds: 0 } }]), 0);
    });
  });

  describe('ratioChange', () => {
    it('is 0 with a zero-width interval when both sizes measured the same', () => {
      const rounds = [round(100, 200), round(150, 200), round(90, 100)];
      assert.deepEqual(ratioChange(rounds, rounds), { change: 0, low: 0, high: 0 });
    });

    it('is exact when every round changed by the same factor', () => {
      const small = [round(100, 200), round(150, 200), round(90, 100)];
      const large = small.map((r) => round(r.ours.responses / 2, r.bare.responses));
      assert.deepEqual(ratioChange(small, large), { change: -0.5, low: -0.5, high: -0.5 });
    });

    it('brackets the change with the 5th and 95th percentiles of the redrawn rounds, the same for the same rounds', () => {
      const small = [round(100, 100), round(100, 100), round(100, 100), round(100, 100)];
      const large = [round(80, 100), round(100, 100), round(120, 100), round(100, 100)];
      const result = ratioChange(small, large);
      assert.equal(result.change, 0);
      assert.ok(result.low < 0 && result.low >= -0.2, `low ${result.low}`);
      assert.ok(result.high > 0 && result.high <= 0.2, `high ${result.high}`);
      assert.deepEqual(ratioChange(small, large), result, 'seeded: the same interval again');
    });

    it('with one round, the interval is the change itself', () => {
      assert.deepEqual(ratioChange([round(100, 100)], [round(110, 100)]), { change: 0.10000000000000009, low: 0.10000000000000009, high: 0.10000000000000009 });
    });

    it('is 0 when there is nothing to compare', () => {
      assert.deepEqual(ratioChange([], []), { change: 0, low: 0, high: 0 });
      assert.deepEqual(ratioChange([round(0, 100)], [round(100, 100)]), { change: 0, low: 0, high: 0 });
    });
  });

  describe('p99Change', () => {
    const run = (count: number, slow: number, at = 1) => [...Array.from({ length: count - slow }, () => at), ...Array.from({ length: slow }, () => 50)];

    it('is the change of the p99 over every request of the runs, as pooledLatency counts it', () => {
      const without = [run(200, 1), run(200, 3), run(100, 0, 2)];
      const withRuns = [run(200, 5, 3), run(200, 0, 4), run(100, 2, 2)];
      const pooled = (runs: number[][]) => percentiles(runs.flat()).p99;
      assert.equal(p99Change(without, withRuns).change, pooled(withRuns) / pooled(without) - 1);
    });

    it('has a zero-width interval when every round is alike', () => {
      const without = [run(100, 0, 10), run(100, 0, 10), run(100, 0, 10)];
      const withRuns = [run(100, 0, 12), run(100, 0, 12), run(100, 0, 12)];
      const result = p99Change(without, withRuns);
      assert.ok(Math.abs(result.change - 0.2) < 1e-12 && result.low === result.change && result.high === result.change, JSON.stringify(result));
    });

    it('widens its interval when one round was disturbed, the same for the same rounds', () => {
      const without = [run(100, 0, 10), run(100, 0, 10), run(100, 0, 10), run(100, 0, 10)];
      const withRuns = [run(100, 0, 10), run(100, 0, 10), run(100, 0, 10), run(100, 5, 10)];
      const result = p99Change(without, withRuns);
      assert.equal(result.low, 0, 'draws without the disturbed round see no change');
      assert.ok(result.high >= result.change && result.high > 0, JSON.stringify(result));
      assert.deepEqual(p99Change(without, withRuns), result, 'seeded');
    });

    it('is 0 when there is nothing to compare', () => {
      assert.deepEqual(p99Change([], []), { change: 0, low: 0, high: 0 });
      assert.deepEqual(p99Change([[]], [[1]]), { change: 0, low: 0, high: 0 });
    });
  });

  describe('combine', () => {
    it('sums rates over the runs, keeps the worst p99 and averages the CPU shares', () => {
      const combined = combine([run(100, 1, 5, 10_000, 0.5, 0.25), run(300, 3, 9, 50_000, 0.7, 0.75)]);
      assert.deepEqual(combined, { rps: 100, p99: 9, cpuPerResponse: 150, cpu: 0.6, loadCpu: 0.5 });
    });

    it('is one run itself', () => {
      assert.deepEqual(combine([run(40, 2, 3.5, 4_000, 0.25, 0.5)]), { rps: 20, p99: 3.5, cpuPerResponse: 100, cpu: 0.25, loadCpu: 0.5 });
    });

    it('is zeros without runs or answers', () => {
      assert.deepEqual(combine([]), { rps: 0, p99: 0, cpuPerResponse: 0, cpu: 0, loadCpu: 0 });
      assert.deepEqual(combine([run(0, 0, 0, 500, 0, 0)]), { rps: 0, p99: 0, cpuPerResponse: 0, cpu: 0, loadCpu: 0 });
    });
  });

  it('mean: 0 of nothing, the average otherwise', () => {
    assert.equal(mean([]), 0);
    assert.equal(mean([4]), 4);
    assert.equal(mean([1, 2, 6]), 3);
  });

  it('relativeChange: after over before less one, 0 without a before', () => {
    assert.equal(relativeChange(2, 3), 0.5);
    assert.equal(relativeChange(4, 1), -0.75);
    assert.equal(relativeChange(0, 5), 0);
  });

  it('otherStatuses counts errors and every status not expected', () => {
    assert.equal(otherStatuses({ statusCodes: { '201': 10, '409': 5, '500': 2, '503': 1 }, errors: 4 }, ['201', '409']), 7);
    assert.equal(otherStatuses({ statusCodes: { '200': 10 }, errors: 0 }, ['200']), 0);
    assert.equal(otherStatuses({ statusCodes: {}, errors: 0 }, []), 0);
  });

  it('getConnections: the configured number, fewer for large answers, never fewer than 8 unless configured', () => {
    const mb = 1024 * 1024;
    assert.equal(getConnections(0, 50, 400 * mb), 50);
    assert.equal(getConnections(460 * 1024, 50, 400 * mb), 50);
    assert.equal(getConnections(38.2 * mb, 50, 400 * mb), 10);
    assert.equal(getConnections(19.1 * mb, 50, 400 * mb), 20);
    assert.equal(getConnections(200 * mb, 50, 400 * mb), 8);
    assert.equal(getConnections(200 * mb, 4, 400 * mb), 4);
  });

  describe('notifications', () => {
    const arrival = (eventId: number | null, at: number, repeat = false): ArrivalTime => ({ eventId, at, repeat });

    it('arrivalRate: arrivals less one over the time from the first to the last, in any order', () => {
      assert.deepEqual(arrivalRate([1000, 3000, 1500, 2000, 1250]), { count: 5, seconds: 2, perSecond: 2 });
      assert.deepEqual(arrivalRate([5000, 5500]), { count: 2, seconds: 0.5, perSecond: 2 });
    });

    it('arrivalRate: no rate from fewer than two arrivals or none apart', () => {
      assert.deepEqual(arrivalRate([]), { count: 0, seconds: 0, perSecond: 0 });
      assert.deepEqual(arrivalRate([42]), { count: 1, seconds: 0, perSecond: 0 });
      assert.deepEqual(arrivalRate([7, 7, 7]), { count: 3, seconds: 0, perSecond: 0 });
    });

    it('eventLatencies: from each start to the first delivery and to the one that completed every webhook', () => {
      const started = [
        { id: 1, at: 100 },
        { id: 2, at: 200 },
      ];
      const arrivals = [arrival(1, 400), arrival(2, 250), arrival(1, 150), arrival(2, 700), arrival(1, 900)];
      assert.deepEqual(eventLatencies(started, arrivals, 2), { first: [50, 50], all: [300, 500], short: 0, delivered: 5, repeats: 0 });
      assert.deepEqual(eventLatencies(started, arrivals, 3), { first: [50, 50], all: [800], short: 1, delivered: 5, repeats: 0 }, 'event 2 reached only two of three');
    });

    it('eventLatencies: a repeat counts once, other events not at all, an event without deliveries is short', () => {
      const started = [
        { id: 1, at: 0 },
        { id: 3, at: 0 },
      ];
      const arrivals = [arrival(1, 10), arrival(1, 20, true), arrival(2, 5), arrival(null, 1)];
      assert.deepEqual(eventLatencies(started, arrivals, 1), { first: [10], all: [10], short: 1, delivered: 1, repeats: 1 });
      assert.deepEqual(eventLatencies(started, arrivals, 2).all, [], 'the repeat does not make a second webhook');
    });

    it('eventLatencies: an event named twice counts once, from its earlier start', () => {
      const result = eventLatencies(
        [
          { id: 5, at: 300 },
          { id: 5, at: 100 },
        ],
        [arrival(5, 400)],
        1,
      );
      assert.deepEqual(result, { first: [300], all: [300], short: 0, delivered: 1, repeats: 0 });
    });

    it('pooledLatency: percentiles over the samples of every run, of every status or of one', () => {
      const runs: { samples?: Record<string, number[]> }[] = [{ samples: { '201': [10, 30], '409': [1, 2, 3] } }, { samples: { '409': [4, 5, 6, 7, 8] } }, {}];
      assert.deepEqual(pooledLatency(runs), percentiles([10, 30, 1, 2, 3, 4, 5, 6, 7, 8]));
      assert.equal(pooledLatency(runs).p99, 30, 'the slowest of ten, not the worst run\'s p99 nor their mean');
      assert.deepEqual(pooledLatency(runs, '201'), { count: 2, p50: 10, p90: 30, p99: 30, max: 30 });
      assert.deepEqual(pooledLatency(runs, '500'), percentiles([]));
    });
  });
});
