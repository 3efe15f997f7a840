import { trainingChoices, type TrainingChoice } from '../engine/pipeline/train-flow.js';
import type { FfjordPresetName } from '../engine/train/ffjord-trainer.js';
import type { FlowMethod } from '../engine/train/trained-model.js';
import { choiceOption, type Parsed } from './args.js';

/**
 * `--method fm|ffjord|ffjord-seed`, for train and make --train: fm (flow matching) unless asked;
 * ffjord is "FFJORD, fast", ffjord-seed the seed's own settings.
 */
export const methodOptionSpec = { method: { type: 'string' } } as const;

const choiceNames = Object.keys(trainingChoices) as TrainingChoice[];

export const methodUsage = `[--method ${choiceNames.join('|')}]`;

export function methodFrom(parsed: Parsed): { readonly method: FlowMethod; readonly ffjordPreset?: FfjordPresetName } {
  return trainingChoices[choiceOption(parsed, 'method', choiceNames) ?? 'fm'];
}
