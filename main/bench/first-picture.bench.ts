import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { noopJobContext } from '../../shared/job.js';
import { DEFAULT_NOISE_SHAPE } from '../../shared/noise.js';
import { loadDensity } from '../engine/image/load-density.js';
import { bundledSamplePath } from '../engine/image/samples.js';
import { prepareImageFlow } from '../engine/pipeline/flow-source.js';
import { previewFlow } from '../engine/pipeline/preview-flow.js';
import { warmUpEngine } from '../engine/pipeline/warm-up.js';
import { PREVIEW_PASSES } from './preview.bench.js';

/**
 * The app's first picture in a fresh engine process, as the e2e suite's first scenario meets
 * it: the bundled mark's exact flow, then the first preview pass (the renderer's
 * FIRST_PREVIEW_PARTICLES, PREVIEW_PASSES' first), each run in a process of its own, cold or
 * after warmUpEngine.
 */
export interface FirstPictureFigure {
  readonly warmed: boolean;
  readonly runs: number;
  /** Medians over the runs, ms. */
  readonly warmUpMs: number;
  readonly flowMs: number;
  readonly previewMs: number;
}

const [FIRST_PREVIEW_PARTICLES] = PREVIEW_PASSES;
const SELF = fileURLToPath(import.meta.url);

interface ChildTimes {
  readonly warmUpMs: number;
  readonly flowMs: number;
  readonly previewMs: number;
}

async function child(warm: boolean): Promise<ChildTimes> {
  const started = performance.now();
  if (warm) await warmUpEngine(noopJobContext);
  const warmed = performance.now();
  const density = await loadDensity(bundledSamplePath('flowgif-mark.png'));
  const loaded = performance.now();
  const field = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, noopJobContext);
  const built = performance.now();
  await previewFlow({ field, density, model: undefined }, { particles: FIRST_PREVIEW_PARTICLES, seed: 0 }, noopJobContext);
  field.dispose();
  return { warmUpMs: warmed - started, flowMs: built - loaded, previewMs: performance.now() - built };
}

function runChild(warm: boolean): Promise<ChildTimes> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SELF, warm ? '--warm' : '--cold'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildTimes) : reject(new Error(`first-picture child exited ${code}`))));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Cold and warmed processes alternately, so both meet the same machine. */
export async function benchFirstPicture(runs = 5): Promise<FirstPictureFigure[]> {
  const times: Record<'cold' | 'warm', ChildTimes[]> = { cold: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    times.cold.push(await runChild(false));
    times.warm.push(await runChild(true));
  }
  return (['cold', 'warm'] as const).map((kind) => ({
    warmed: kind === 'warm',
    runs,
    warmUpMs: median(times[kind].map((t) => t.warmUpMs)),
    flowMs: median(times[kind].map((t) => t.flowMs)),
    previewMs: median(times[kind].map((t) => t.previewMs)),
  }));
}

if (process.argv[1] === SELF) {
  const warm = process.argv[2] === '--warm';
  process.stdout.write(JSON.stringify(await child(warm)));
}
