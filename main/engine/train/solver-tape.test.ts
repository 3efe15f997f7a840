import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integrateWithStatsAsync } from '../ode/integrate.js';
import { SolverTape } from './solver-tape.js';

test('backward through a dopri5 solve of y′ = λy + t gives ∂y(1)/∂y(0) = e^λ, asking only for the stages that reach the end', async () => {
  const lambda = -1.3;
  const tape = new SolverTape([0]);
  const y0 = tape.leaf(Float32Array.of(0.5, -2, 1.25));
  const solution = await integrateWithStatsAsync(
    (t, y) => tape.evaluated(t, y, y.value.map((v) => lambda * v + t)),
    y0,
    [0, 1],
    { method: 'dopri5', atol: 1e-7, rtol: 1e-7 },
    tape.ops,
  );
  const end = solution.states[1]!;
  // The exact solution: y(1) = e^λ y0 + (e^λ − λ − 1)/λ².
  const expected = [...y0.value].map((v) => Math.exp(lambda) * v + (Math.exp(lambda) - lambda - 1) / lambda ** 2);
  [...end.value].forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5, `y(1)[${i}] = ${v}, not ${expected[i]}`));

  let asked = 0;
  const cotangents = await tape.backward(end, Float32Array.of(1, 2, 0), (_t, _y, cotangent) => {
    asked++;
    return Promise.resolve(cotangent.map((c) => lambda * c));
  });
  const gradient = cotangents.get(y0.id)!;
  [1, 2, 0].forEach((c, i) => assert.ok(Math.abs(gradient[i]! - c * Math.exp(lambda)) < 1e-5, `∂/∂y0[${i}] = ${gradient[i]}`));
  // Hairer's probe for the first step size and the last step's FSAL evaluation reach nothing.
  assert.equal(asked, solution.stats.nfe - 2);
});

test('the error norm is FFJORD’s mixed one: RMS within each column group, the larger of them', () => {
  const tape = new SolverTape([0, 0, 1]);
  const state = tape.leaf(Float32Array.of(3, 4, 1, 3, 4, 1));
  // Columns 0 and 1: RMS of 3, 4, 3, 4 = √12.5; column 2: 1.
  assert.ok(Math.abs(tape.ops.rmsNorm(state) - Math.sqrt(12.5)) < 1e-12);
  const small = tape.leaf(Float32Array.of(0.1, 0.1, 5, 0.1, 0.1, 5));
  assert.ok(Math.abs(tape.ops.rmsNorm(small) - 5) < 1e-6);
});
