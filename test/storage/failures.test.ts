import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyDatabaseError, DatabaseUnavailableError, describeFailure, QueryTimeoutError } from '../../src/storage/failures.js';
import { DatabaseHealth, type HealthState } from '../../src/storage/health.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database failures', () => {
  it('tells a database that cannot be reached from one that is busy, and both from bugs', () => {
    for (const error of [withCode('ECONNREFUSED'), withCode('57P01'), withCode('08006'), withCode('3D000'), withCode('SQLITE_IOERR_WRITE'), new QueryTimeoutError(10), new Error('Connection terminated unexpectedly'), new DatabaseUnavailableError('away')]) {
      assert.equal(classifyDatabaseError(error), 'unreachable', String(error));
    }
    for (const error of [withCode('57014'), withCode('55P03'), withCode('53300'), withCode('40001'), withCode('SQLITE_BUSY')]) assert.equal(classifyDatabaseError(error), 'busy', String(error));
    for (const error of [withCode('23505'), withCode('22003'), new TypeError('x is undefined'), 'text', undefined]) assert.equal(classifyDatabaseError(error), undefined, String(error));
    assert.equal(classifyDatabaseError(new Error('wrapped', { cause: withCode('ECONNRESET') })), 'unreachable');
  });

  it('describes a failure in one line with its code', () => {
    assert.equal(describeFailure(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')), 'connect ECONNREFUSED 127.0.0.1:5432');
    assert.equal(describeFailure(withCode('57P01', 'terminating connection due to administrator command\nDETAIL')), 'terminating connection due to administrator command (57P01)');
  });
});

describe('database health', () => {
  it('checks again with growing pauses while down, and reports each change once', async () => {
    let answers = false;
    let checks = 0;
    const health = new DatabaseHealth(async () => {
      checks++;
      if (!answers) throw withCode('ECONNREFUSED');
    });
    const changes: HealthState[] = [];
    health.onChange((state) => changes.push(state));
    health.markDown(withCode('ECONNREFUSED', 'connect ECONNREFUSED'));
    health.markDown(withCode('ECONNREFUSED', 'again'));
    assert.equal(health.down, true);
    await sleep(450); // checks after 100 and 300 ms: the pauses double
    assert.ok(checks >= 1 && checks <= 3, `${checks} checks`);
    answers = true;
    for (let waited = 0; health.down && waited < 5_000; waited += 50) await sleep(50);
    assert.equal(health.down, false);
    assert.deepEqual(changes.map((state) => state.up), [false, true]);
    assert.match((changes[0] as { reason: string }).reason, /ECONNREFUSED/);
    const before = checks;
    await sleep(300);
    assert.equal(checks, before, 'no checks while up');
    health.close();
  });
});
