import { createRandom } from '../../../shared/random.js';
import { ROUND_NOISE } from '../flow/noise-source.js';
import { initWeights, type MlpArchitecture } from './mlp-field.js';
import type { TrainedModel } from './trained-model.js';

/** A flow-matching model as initWeights leaves it (seeded): enough to compare the ways of running one. */
export function untrainedFmModel(arch: MlpArchitecture, seed: number): TrainedModel {
  return {
    method: 'fm',
    architecture: { ...arch },
    weights: initWeights(arch, createRandom(seed)),
    training: { preset: 'test', backend: 'test', seed, steps: 0, seconds: 0, finalLoss: 0, history: [] },
    noise: ROUND_NOISE,
  };
}
