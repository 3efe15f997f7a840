import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noopJobContext } from '../../../shared/job.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { prepareExactFlow } from '../flow/exact-flow.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import type { VelocityField } from '../flow/velocity-field.js';
import { trainDensity } from './train-flow.js';

test("flow matching distils from the host's exact flow when it is given one, instead of building its own", async () => {
  const density = await loadBundledSample('heart.png', 64);
  const exact = await prepareExactFlow(density, { source: noiseSourceFor('fitted', density.mapping) }, noopJobContext);
  let calls = 0;
  const counted: VelocityField = {
    kind: exact.kind,
    source: exact.source,
    velocity: (points, t, out) => {
      calls++;
      exact.velocity(points, t, out);
    },
    dispose: () => assert.fail('the trainer must not free the host’s exact flow'),
  };
  const model = await trainDensity(density, 'fm', { steps: 2, seed: 1, noise: 'fitted', exactField: counted }, noopJobContext);
  assert.equal(model.training.steps, 2);
  assert.ok(calls > 0, 'the distillation targets came from the given exact flow');
  exact.dispose();
});
