import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError, isFlowGifError } from '../../shared/errors.js';
import { integrate } from '../engine/ode/integrate.js';
import { float64Ops } from '../engine/ode/vector-ops.js';
import { EXIT_FAILURE, reportError } from './error-report.js';

function captured(error: unknown, json = false): { exit: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const exit = reportError(error, 'eval', json, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { exit, stdout, stderr };
}

/** The error a dopri5 solve that reaches maxSteps really throws. */
function solverFailure(): FlowGifError {
  try {
    integrate((_t, y) => Float64Array.of(y[0]!), Float64Array.of(1), [0, 1], { method: 'dopri5', atol: 1e-13, rtol: 1e-13, maxSteps: 5 }, float64Ops);
  } catch (error) {
    if (isFlowGifError(error)) return error;
    throw error;
  }
  throw new Error('the solve was meant to fail');
}

test('a solver failure prints what to do about it, not a setting to correct', () => {
  const error = solverFailure();
  assert.equal(error.code, 'SOLVER_FAILED');
  const { exit, stderr } = captured(error);
  assert.equal(exit, EXIT_FAILURE);
  assert.equal(
    stderr,
    `flowgif: ${error.message} The model may have blown up: train it again (flowgif train), or draw the picture with --exact IMAGE.\n`,
  );
  assert.doesNotMatch(stderr, /highlighted|Correct the/);
  const asJson = captured(error, true);
  assert.equal(JSON.parse(asJson.stdout).error.code, 'SOLVER_FAILED');
});

test('a picture with nothing to draw is answered with the flags that give it mass', () => {
  const { stderr } = captured(new FlowGifError('IMAGE_NO_MASS', 'Nothing to draw: white.png is all one colour, its background.', { file: 'white.png' }));
  assert.match(stderr, /^flowgif: Nothing to draw: white\.png is all one colour, its background\. .*--mass dark .*--mass light .*--threshold\.\n$/);
});

test("an engine error's own hint wins over the CLI's", () => {
  const { stderr } = captured(new FlowGifError('SOLVER_FAILED', 'The solver gave up.', { hint: 'Try fewer particles.' }));
  assert.equal(stderr, 'flowgif: The solver gave up. Try fewer particles.\n');
});
