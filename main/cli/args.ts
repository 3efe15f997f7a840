import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** node:util parseArgs, with its errors turned into usage errors. */
export function parse(args: readonly string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify.*$/s, '.') : String(error));
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

export function requiredString(parsed: Parsed, name: string, what: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value === '') throw new UsageError(`Missing --${name} ${what}.`);
  return value;
}

interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export function numberOption(parsed: Parsed, name: string, rule: NumberRule = {}): number | undefined {
  const raw = stringOption(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const kind = rule.integer ? 'an integer' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${kind}, not '${raw}'.`);
  }
  if (rule.min !== undefined && value < rule.min) throw new UsageError(`--${name} must be at least ${rule.min}, not ${raw}.`);
  if (rule.max !== undefined && value > rule.max) throw new UsageError(`--${name} must be at most ${rule.max}, not ${raw}.`);
  return value;
}

/** Exactly one positional, or exactly one of the named alternatives. */
export function onePositional(parsed: Parsed, what: string): string {
  if (parsed.positionals.length === 0) throw new UsageError(`Missing ${what}.`);
  if (parsed.positionals.length > 1) throw new UsageError(`Expected one ${what}, got: ${parsed.positionals.join(' ')}.`);
  return parsed.positionals[0]!;
}
