import { defineTableau } from './tableau.js';

export const euler = defineTableau({
  name: 'euler',
  order: 1,
  c: [0],
  a: [[]],
  b: [1],
});

export const midpoint = defineTableau({
  name: 'midpoint',
  order: 2,
  c: [0, 1 / 2],
  a: [[], [1 / 2]],
  b: [0, 1],
});

/** Kutta's third-order method: three evaluations a step, for fields smooth enough to spare rk4's fourth. */
export const rk3 = defineTableau({
  name: 'rk3',
  order: 3,
  c: [0, 1 / 2, 1],
  a: [[], [1 / 2], [-1, 2]],
  b: [1 / 6, 2 / 3, 1 / 6],
});

export const rk4 = defineTableau({
  name: 'rk4',
  order: 4,
  c: [0, 1 / 2, 1 / 2, 1],
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
});

// Dormand–Prince 5(4). The last row of a equals b, which makes the method FSAL.
const dopri5B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
// The 4th-order embedded solution torchdiffeq uses (and so FFJORD was tuned with); it only
// estimates the error.
const dopri5BHat = [1951 / 21600, 0, 22642 / 50085, 451 / 720, -12231 / 42400, 649 / 6300, 1 / 60];

export const dopri5 = defineTableau({
  name: 'dopri5',
  order: 5,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    dopri5B.slice(0, 6),
  ],
  b: dopri5B,
  errorWeights: dopri5B.map((bi, i) => bi - dopri5BHat[i]!),
  // torchdiffeq's DPS_C_MID (Shampine's midpoint weights, already halved).
  midWeights: [
    6025192743 / 30085553152 / 2,
    0,
    51252292925 / 65400821598 / 2,
    -2691868925 / 45128329728 / 2,
    187940372067 / 1594534317056 / 2,
    -1776094331 / 19743644256 / 2,
    11237099 / 235043384 / 2,
  ],
});
