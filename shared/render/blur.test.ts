import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxRadii, gaussianBlur } from './blur.js';

test('blurring an impulse keeps its mass and centre and spreads it by about σ', () => {
  const size = 101;
  for (const sigma of [0.5, 1, 1.5, 2.7, 6]) {
    const grid = new Float32Array(size * size);
    grid[50 * size + 50] = 1;
    gaussianBlur(grid, new Float32Array(size * size), size, size, sigma);
    let mass = 0;
    let mx = 0;
    let my = 0;
    let vx = 0;
    let vy = 0;
    for (let p = 0; p < grid.length; p++) {
      const v = grid[p]!;
      const x = (p % size) - 50;
      const y = Math.floor(p / size) - 50;
      mass += v;
      mx += v * x;
      my += v * y;
      vx += v * x * x;
      vy += v * y * y;
    }
    assert.ok(Math.abs(mass - 1) < 1e-5, `σ ${sigma}: mass ${mass}`);
    assert.ok(Math.abs(mx) < 1e-5 && Math.abs(my) < 1e-5, `σ ${sigma}: centre moved`);
    assert.ok(Math.abs(vx - vy) < 1e-4, `σ ${sigma}: anisotropic`);
    const measured = Math.sqrt(vx);
    // Pixel-integrated taps add a pixel's own variance, 1/12; box widths are whole pixels.
    assert.ok(measured > 0.8 * sigma && measured < 1.1 * Math.sqrt(sigma * sigma + 1 / 12), `σ ${sigma}: spread ${measured}`);
  }
});

test('box radii approximate the requested variance', () => {
  for (const sigma of [1, 1.5, 2, 3.3, 8]) {
    const variance = boxRadii(sigma).reduce((s, r) => s + ((2 * r + 1) ** 2 - 1) / 12, 0);
    assert.ok(variance <= sigma * sigma * 1.25 && variance >= sigma * sigma * 0.6, `σ ${sigma}: ${variance}`);
  }
});

test('mass at the edge leaks out instead of piling up', () => {
  const grid = new Float32Array(20 * 20);
  grid[0] = 1;
  gaussianBlur(grid, new Float32Array(400), 20, 20, 2);
  const mass = grid.reduce((s, v) => s + v, 0);
  assert.ok(mass < 0.5 && mass > 0.1, `mass ${mass}`);
});
