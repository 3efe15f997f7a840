import { benchDensity } from './bench-image.js';
import { noopJobContext } from '../../shared/job.js';
import { createRandom } from '../../shared/random.js';
import { sampleDensity } from '../engine/image/alias-sampler.js';
import { ffjordLogLikelihood } from '../engine/train/ffjord-likelihood.js';
import { trainFfjord, type FfjordHistoryEntry, type FfjordPreset, type FfjordStepBackend, type FfjordTrainOptions } from '../engine/train/ffjord-trainer.js';
import { noiseSourceFor } from '../engine/flow/noise-source.js';
import { mixtureLogDensity } from '../engine/quality/mixture-log-density.js';
import { DEFAULT_NOISE_SHAPE } from '../../shared/noise.js';

/**
 * FFJORD figures for BENCHMARKS.md: time per maximum-likelihood step, and held-out NLL
 * against steps and seconds. Each function returns plain figures; the runner prints them.
 * The acceptance run is github.png (pass imagePath); the default is a bundled sample.
 */
export interface FfjordStepFigure {
  readonly batchSize: number;
  readonly msPerStep: number;
  /** Process CPU time per step: less sensitive than wall time to other load on the machine. */
  readonly cpuMsPerStep: number;
  /** Function evaluations of the forward solve, mean over the timed steps. */
  readonly nfe: number;
}

export interface FfjordNllFigure {
  readonly step: number;
  readonly seconds: number;
  readonly nll: number;
  readonly nfe: number;
}

/** ms per training step (dopri5 forward, backward through its steps, Adam) at the seed's settings. */
export async function benchFfjordStepTime(
  options: { batchSize?: number; steps?: number; imagePath?: string; widths?: readonly number[]; stepBackend?: FfjordStepBackend | undefined } = {},
): Promise<FfjordStepFigure> {
  const density = await benchDensity(options.imagePath);
  const batchSize = options.batchSize ?? 1000;
  const steps = options.steps ?? 20;
  const warmup = 3;
  let wallAt = 0;
  let cpuAt = { user: 0, system: 0 };
  let nfeSum = 0;
  const model = await trainFfjord(
    density,
    { batchSize, steps: steps + warmup, evalEvery: 0, stepBackend: options.stepBackend, ...(options.widths === undefined ? {} : { widths: options.widths }) },
    {
      signal: noopJobContext.signal,
      progress: (p) => {
        const step = p.metrics?.['step'] ?? 0;
        // The first steps pay for kernel warm-up.
        if (step === warmup) {
          wallAt = performance.now();
          cpuAt = process.cpuUsage();
        } else if (step > warmup) nfeSum += p.metrics?.['nfe'] ?? 0;
      },
    },
  );
  const timed = model.training.steps - warmup;
  const cpu = process.cpuUsage(cpuAt);
  return {
    batchSize,
    msPerStep: (performance.now() - wallAt) / timed,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / timed,
    nfe: nfeSum / timed,
  };
}

/**
 * Held-out NLL (nats, exact divergence, dopri5) every evalEvery steps of one seeded run at
 * the seed's settings. The seed's own PyTorch script reaches 3.436 at step 300 on github.png.
 */
export async function benchFfjordNll(
  options: { steps?: number; evalEvery?: number; evalSize?: number; imagePath?: string; seed?: number; training?: FfjordTrainOptions } = {},
): Promise<FfjordNllFigure[]> {
  const density = await benchDensity(options.imagePath);
  const model = await trainFfjord(
    density,
    {
      ...options.training,
      steps: options.steps ?? 500,
      seed: options.seed ?? 1,
      evalEvery: options.evalEvery ?? 100,
      evalSize: options.evalSize ?? 10_000,
    },
    noopJobContext,
  );
  return (model.training.history as readonly FfjordHistoryEntry[])
    .filter((h) => h.nll !== undefined)
    .map((h) => ({ step: h.step, seconds: h.seconds, nll: h.nll!, nfe: h.nfe }));
}

/** Seconds to score n held-out points of a trained model, the cost of one NLL figure. */
export async function benchFfjordLikelihoodTime(options: { n?: number; imagePath?: string } = {}): Promise<{ n: number; seconds: number; nll: number }> {
  const density = await benchDensity(options.imagePath);
  const model = await trainFfjord(density, { steps: 1, evalEvery: 0 }, noopJobContext);
  const n = options.n ?? 10_000;
  const points = sampleDensity(density, n, createRandom(2));
  const started = performance.now();
  const logp = await ffjordLogLikelihood(model, points);
  return { n, seconds: (performance.now() - started) / 1000, nll: -logp.reduce((a, b) => a + b, 0) / n };
}

export interface FfjordBudgetFigure {
  readonly seconds: number;
  readonly steps: number;
  /** Held-out NLL in nats of 5000 points at the seed's tolerance, as `eval` measures it. */
  readonly nll: number;
  /** The same points' NLL under the picture's own mixture: the floor no model goes below. */
  readonly floor: number;
  readonly nfe: number;
}

/** The NLL a budget buys with a preset: one independent run per budget, as `train --method … --seconds S` runs. */
export async function benchFfjordTimeToNll(
  options: { budgets: readonly number[]; preset: FfjordPreset; imagePath?: string; seed?: number; stepBackend?: FfjordStepBackend | undefined },
): Promise<FfjordBudgetFigure[]> {
  const density = await benchDensity(options.imagePath);
  const noise = noiseSourceFor(DEFAULT_NOISE_SHAPE, density.mapping);
  const heldOut = sampleDensity(density, 5000, createRandom(options.seed ?? 1));
  const floorLogp = mixtureLogDensity(density, heldOut);
  const floor = -floorLogp.reduce((a, b) => a + b, 0) / floorLogp.length;
  const figures: FfjordBudgetFigure[] = [];
  for (const seconds of options.budgets) {
    // The trainer's own held-out NLL is off: its solves would count against the budget.
    const model = await trainFfjord(density, { preset: options.preset, seconds, seed: options.seed ?? 1, noise, evalEvery: 0, stepBackend: options.stepBackend }, noopJobContext);
    const logp = await ffjordLogLikelihood(model, heldOut);
    const last = model.training.history.at(-1) as FfjordHistoryEntry | undefined;
    figures.push({ seconds, steps: model.training.steps, nll: -logp.reduce((a, b) => a + b, 0) / logp.length, floor, nfe: last?.nfe ?? 0 });
  }
  return figures;
}
