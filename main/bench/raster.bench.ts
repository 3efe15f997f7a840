import { createRandom, gaussianPoints } from '../../shared/random.js';
import { particleColours } from '../../shared/render/particle-colours.js';
import { defaultRasterStyle, type RasterOptions } from '../../shared/render/raster-options.js';
import { createRasterWorkspace } from '../../shared/render/raster-workspace.js';
import { rasterise } from '../../shared/render/rasterise.js';

/**
 * Rasteriser figures for BENCHMARKS.md: ms per frame at 512 × 512 with a reused workspace and
 * target, as the exporter and preview run it. Particles are N(0, I) scaled into the view (a
 * t ≈ 0.5 frame), so most land on screen and some overlap heavily.
 */
export interface RasterFigure {
  readonly case: string;
  readonly particles: number;
  readonly msPerFrame: number;
  /** This process's CPU time per frame: steadier than wall time on a shared machine. */
  readonly cpuMsPerFrame: number;
}

export function benchRaster(options: { particles?: readonly number[]; frames?: number; side?: number } = {}): RasterFigure[] {
  const side = options.side ?? 512;
  const frames = options.frames ?? 20;
  const base: RasterOptions = { ...defaultRasterStyle, width: side, height: side, view: { centreX: 0, centreY: 0, halfExtent: 4.2 } };
  const cases: { name: string; options: RasterOptions; coloured: boolean }[] = [
    { name: 'points 1.5 px, solid, additive', options: { ...base, pointSize: 1.5, blend: 'additive' }, coloured: false },
    { name: 'points 1.5 px, per-particle colour, alpha', options: { ...base, pointSize: 1.5, blend: 'alpha' }, coloured: true },
    { name: 'points 1.5 px, per-particle colour, additive', options: { ...base, pointSize: 1.5, blend: 'additive' }, coloured: true },
    { name: 'density, smoothing 1.5 px', options: { ...base, mode: 'density', densitySmoothing: 1.5 }, coloured: false },
  ];
  const figures: RasterFigure[] = [];
  for (const n of options.particles ?? [50_000, 200_000]) {
    const positions = gaussianPoints(n, createRandom(n));
    for (let i = 0; i < positions.length; i++) positions[i] = positions[i]! * 1.5;
    const colours = particleColours('angle', n, { start: positions });
    for (const c of cases) {
      const workspace = createRasterWorkspace();
      const target = new Uint8ClampedArray(side * side * 4);
      const draw = (): void => {
        rasterise(positions, c.coloured ? colours : undefined, c.options, target, workspace);
      };
      // Warm-up: kernel tables, buffers and JIT tiers, none of which a long export pays per frame.
      for (let i = 0; i < 3; i++) draw();
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < frames; i++) draw();
      const msPerFrame = (performance.now() - start) / frames;
      const used = process.cpuUsage(cpu);
      figures.push({ case: c.name, particles: n, msPerFrame, cpuMsPerFrame: (used.user + used.system) / 1000 / frames });
    }
  }
  return figures;
}
