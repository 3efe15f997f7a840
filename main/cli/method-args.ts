import { flowMethods, type FlowMethod } from '../engine/train/trained-model.js';
import { choiceOption, type Parsed } from './args.js';

/** `--method fm|ffjord`, for train and make --train: fm (flow matching) unless asked. */
export const methodOptionSpec = { method: { type: 'string' } } as const;

export const methodUsage = `[--method ${flowMethods.join('|')}]`;

export function methodFrom(parsed: Parsed): FlowMethod {
  return choiceOption(parsed, 'method', flowMethods) ?? 'fm';
}
