import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Progress } from '../../../shared/job.js';
import { createProgressMeter, estimateEtaMs } from './progress-meter.js';

test('no ETA until a tenth of the work and a second have passed, then the average pace', () => {
  assert.equal(estimateEtaMs(0, 100, 5000), undefined);
  assert.equal(estimateEtaMs(5, 100, 5000), undefined);
  assert.equal(estimateEtaMs(50, 100, 500), undefined);
  assert.equal(estimateEtaMs(20, 100, 2000), 8000);
  assert.equal(estimateEtaMs(100, 100, 9000), 0);
});

test('the meter reports monotonic, clamped encode progress', () => {
  const events: Progress[] = [];
  let clock = 0;
  const meter = createProgressMeter({ signal: new AbortController().signal, progress: (p) => events.push(p) }, 10, () => clock);
  meter.report(0);
  clock = 2000;
  meter.report(5);
  meter.report(3);
  meter.report(12, 999);
  assert.deepEqual(
    events.map((e) => [e.done, e.total, e.etaMs, e.bytes]),
    [
      [0, 10, undefined, undefined],
      [5, 10, 2000, undefined],
      [10, 10, 0, 999],
    ],
  );
  assert.ok(events.every((e) => e.stage === 'encode'));
});
