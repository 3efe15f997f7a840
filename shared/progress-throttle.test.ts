import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Progress } from './job.js';
import { throttleProgress } from './progress-throttle.js';

test('keeps one report per interval plus every stage start and end', () => {
  let clock = 0;
  const seen: Progress[] = [];
  const report = throttleProgress((p) => seen.push(p), 100, () => clock);
  for (let done = 0; done <= 50; done++) {
    report({ stage: 'train', done, total: 50 });
    clock += 10;
  }
  report({ stage: 'write', done: 0, total: 1 });
  report({ stage: 'write', done: 1, total: 1 });
  assert.deepEqual(
    seen.map((p) => `${p.stage}:${p.done}`),
    ['train:0', 'train:10', 'train:20', 'train:30', 'train:40', 'train:50', 'write:0', 'write:1'],
  );
});
