import { benchDensity } from './bench-image.js';
import { noopJobContext } from '../../shared/job.js';
import { createRandom } from '../../shared/random.js';
import { createExactFlow } from '../engine/flow/exact-flow.js';
import type { AsyncVelocityField, VelocityField } from '../engine/flow/velocity-field.js';
import { createOrtField } from '../engine/inference/ort-field.js';
import { computeTrajectory, positionsAt, type Trajectory } from '../engine/render/trajectory.js';
import { initWeights, type MlpArchitecture } from '../engine/train/mlp-field.js';
import { createModelField } from '../engine/inference/model-field.js';
import { fastPreset } from '../engine/train/presets.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { ROUND_NOISE } from '../engine/flow/noise-source.js';

/**
 * Trajectory figures for BENCHMARKS.md: the one solve behind a preview or an export, for the
 * exact flow and for a trained flow-matching network through onnxruntime and through
 * TensorFlow.js, on the default grid (17 levels, rk4, 32 steps, 129 field evaluations); and
 * the cost of one interpolated frame, which is what scrubbing and every exported frame pay.
 */
export type TrajectoryFieldName = 'exact' | 'fm-ort' | 'fm-tfjs';

export interface TrajectoryFigure {
  readonly field: TrajectoryFieldName;
  readonly particles: number;
  readonly levels: number;
  readonly nfe: number;
  readonly seconds: number;
  /** Particle-evaluations per second: particles × nfe / seconds. */
  readonly pointsPerSecond: number;
  readonly bytes: number;
  /** Mean time of positionsAt over frames spread across [0, 1]. */
  readonly msPerFrame: number;
}

/**
 * The network of the `fast` preset with its initial weights: inference time does not depend on
 * the values, and a bench should not wait for a training run.
 */
export function presetModel(): TrainedModel {
  const arch: MlpArchitecture = {
    kind: 'fm-mlp',
    version: 1,
    width: fastPreset.width,
    depth: fastPreset.depth,
    fourierFeatures: fastPreset.fourierFeatures,
    fourierScale: fastPreset.fourierScale,
    timeFrequencies: fastPreset.timeFrequencies,
  };
  return {
    method: 'fm',
    architecture: { ...arch },
    weights: initWeights(arch, createRandom(1)),
    training: { preset: 'bench', backend: 'none', seed: 1, steps: 0, seconds: 0, finalLoss: 0, history: [] },
    noise: ROUND_NOISE,
  };
}

function msPerFrame(trajectory: Trajectory, frames: number): number {
  const out = new Float32Array(2 * trajectory.particles);
  positionsAt(trajectory, 0.5, out);
  const start = performance.now();
  for (let f = 0; f < frames; f++) positionsAt(trajectory, (f + 0.5) / frames, out);
  return (performance.now() - start) / frames;
}

export async function benchTrajectory(
  options: {
    particles?: readonly number[];
    fields?: readonly TrajectoryFieldName[];
    imagePath?: string;
    frames?: number;
    /** Progress lines on stderr: the tfjs runs take minutes. */
    log?: (line: string) => void;
  } = {},
): Promise<TrajectoryFigure[]> {
  const particleCounts = options.particles ?? [50_000, 200_000];
  const fieldNames = options.fields ?? ['exact', 'fm-ort', 'fm-tfjs'];
  const frames = options.frames ?? 60;
  const density = await benchDensity(options.imagePath);
  const model = presetModel();
  const open = async (name: TrajectoryFieldName): Promise<VelocityField | AsyncVelocityField> =>
    name === 'exact' ? createExactFlow(density) : name === 'fm-ort' ? createOrtField(model) : createModelField(model);

  const figures: TrajectoryFigure[] = [];
  for (const name of fieldNames) {
    const field = await open(name);
    try {
      // Warm-up: ORT's first runs plan memory, tfjs compiles kernels; neither recurs per export.
      await computeTrajectory(field, { particles: 2000, seed: 0 }, noopJobContext);
      for (const particles of particleCounts) {
        const start = performance.now();
        const trajectory = await computeTrajectory(field, { particles, seed: 1 }, noopJobContext);
        const seconds = (performance.now() - start) / 1000;
        const figure: TrajectoryFigure = {
          field: name,
          particles,
          levels: trajectory.times.length,
          nfe: trajectory.nfe,
          seconds,
          pointsPerSecond: (particles * trajectory.nfe) / seconds,
          bytes: trajectory.bytes,
          msPerFrame: msPerFrame(trajectory, frames),
        };
        options.log?.(JSON.stringify(figure));
        figures.push(figure);
      }
    } finally {
      field.dispose();
    }
  }
  return figures;
}
