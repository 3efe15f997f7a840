import type { ImageDensity } from '../image/density.js';

/**
 * Exact log-density (nats) of the image's Gaussian mixture at model-space points: the NLL
 * floor that any likelihood model of this image can approach. Components further than six
 * standard deviations contribute below 1e-8 of the nearest one, so only a small window of
 * pixels around each point is summed.
 */
export function mixtureLogDensity(density: ImageDensity, points: Float64Array): Float64Array {
  const { mapping, probabilities, jitterStd: sigma } = density;
  const p = mapping.modelPerPixel;
  const w = density.width;
  const h = density.height;
  const radius = Math.ceil((6 * sigma) / p) + 1;
  const logNorm = -Math.log(2 * Math.PI * sigma * sigma);
  const inv2s2 = 1 / (2 * sigma * sigma);
  const out = new Float64Array(points.length / 2);
  for (let k = 0; k < out.length; k++) {
    const x = points[2 * k]!;
    const y = points[2 * k + 1]!;
    // Continuous pixel coordinates of the point (column, row), pixel centres at +0.5.
    const col = x / p + w / 2 - 0.5;
    const row = h / 2 - y / p - 0.5;
    const c0 = Math.max(0, Math.floor(col) - radius);
    const c1 = Math.min(w - 1, Math.ceil(col) + radius);
    const r0 = Math.max(0, Math.floor(row) - radius);
    const r1 = Math.min(h - 1, Math.ceil(row) + radius);
    let best = -Infinity;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const pi = probabilities[r * w + c]!;
        if (pi <= 0) continue;
        const dx = (c - col) * p;
        const dy = (r - row) * p;
        best = Math.max(best, Math.log(pi) - (dx * dx + dy * dy) * inv2s2);
      }
    }
    if (best === -Infinity) {
      out[k] = -Infinity;
      continue;
    }
    let sum = 0;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const pi = probabilities[r * w + c]!;
        if (pi <= 0) continue;
        const dx = (c - col) * p;
        const dy = (r - row) * p;
        sum += Math.exp(Math.log(pi) - (dx * dx + dy * dy) * inv2s2 - best);
      }
    }
    out[k] = best + Math.log(sum) + logNorm;
  }
  return out;
}
