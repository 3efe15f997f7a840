import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSync } from './drive.js';
import { rkStep } from './rk-step.js';
import type { ButcherTableau } from './tableau.js';
import { defineTableau } from './tableau.js';
import { dopri5, euler, midpoint, rk3, rk4 } from './tableaus.js';
import { float64Ops } from './vector-ops.js';

const all = [euler, midpoint, rk3, rk4, dopri5];
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-14, `${what}: ${actual} ≠ ${expected}`);

/** Σ_j a_ij v_j for every stage i. */
const aTimes = (tableau: ButcherTableau, v: readonly number[]): number[] =>
  tableau.a.map((row) => row.reduce((s, aij, j) => s + aij * v[j]!, 0));
const bDot = (tableau: ButcherTableau, v: readonly number[]): number => tableau.b.reduce((s, bi, i) => s + bi * v[i]!, 0);

for (const tableau of all) {
  test(`${tableau.name}: rows of a sum to c, b sums to 1`, () => {
    tableau.a.forEach((row, i) => close(sum(row), tableau.c[i]!, `row ${i}`));
    close(sum(tableau.b), 1, 'Σ b');
  });

  test(`${tableau.name}: satisfies the order conditions up to its order (checked to 4)`, () => {
    const c = tableau.c;
    const c2 = c.map((x) => x * x);
    const ac = aTimes(tableau, c);
    const conditions: [number, number, string][] = [
      [1, bDot(tableau, c.map(() => 1)), 'Σb = 1'],
      [2, bDot(tableau, c), 'Σbc = 1/2'],
      [3, bDot(tableau, c2), 'Σbc² = 1/3'],
      [3, bDot(tableau, ac), 'Σbac = 1/6'],
      [4, bDot(tableau, c.map((x) => x ** 3)), 'Σbc³ = 1/4'],
      [4, bDot(tableau, c.map((x, i) => x * ac[i]!)), 'Σbcac = 1/8'],
      [4, bDot(tableau, aTimes(tableau, c2)), 'Σbac² = 1/12'],
      [4, bDot(tableau, aTimes(tableau, ac)), 'Σbaac = 1/24'],
    ];
    const expected: Record<string, number> = {
      'Σb = 1': 1, 'Σbc = 1/2': 1 / 2, 'Σbc² = 1/3': 1 / 3, 'Σbac = 1/6': 1 / 6,
      'Σbc³ = 1/4': 1 / 4, 'Σbcac = 1/8': 1 / 8, 'Σbac² = 1/12': 1 / 12, 'Σbaac = 1/24': 1 / 24,
    };
    for (const [order, value, name] of conditions) {
      if (order <= tableau.order) close(value, expected[name]!, `${tableau.name} ${name}`);
    }
  });
}

test('dopri5: FSAL, error weights sum to 0, midpoint weights sum to 1/2', () => {
  assert.equal(dopri5.fsal, true);
  for (const other of [euler, midpoint, rk3, rk4]) assert.equal(other.fsal, false);
  close(sum(dopri5.errorWeights!), 0, 'Σ e');
  close(sum(dopri5.midWeights!), 1 / 2, 'Σ mid');
});

test('dopri5: the error estimate shrinks like h^5 (a 4th-order embedded solution)', () => {
  const f = (_t: number, y: Float64Array): Float64Array => Float64Array.of(y[0]!);
  const ratioAt = (h: number): number => {
    const y0 = Float64Array.of(1);
    const step = runSync(rkStep(dopri5, float64Ops, 0, y0, f(0, y0), h, { atol: 1, rtol: 0 }), f);
    return step.errorRatio!;
  };
  const order = Math.log2(ratioAt(0.1) / ratioAt(0.05));
  assert.ok(Math.abs(order - 5) < 0.3, `measured ${order}`);
});

test('tableaus are frozen data', () => {
  assert.ok(Object.isFrozen(dopri5) && Object.isFrozen(dopri5.a) && Object.isFrozen(dopri5.a[3]));
  assert.throws(() => defineTableau({ name: 'bad', order: 1, c: [0, 1], a: [[], []], b: [0, 1] }), /row 1/);
});
