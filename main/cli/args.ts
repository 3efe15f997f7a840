import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

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
    throw new UsageError(oneLine(error, args));
  }
}

/**
 * parseArgs explains in up to three lines; a usage error is one. Its first sentence says what
 * is wrong, except for "argument is ambiguous", which is said here in the user's terms.
 */
function oneLine(error: unknown, args: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const ambiguous = /^Option '(-[^' ]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous !== null) {
    const name = ambiguous[1]!;
    const value = args[args.findIndex((arg) => arg === name || (name.startsWith('--') && arg === name.slice(1))) + 1] ?? '-…';
    return `${name} needs a value; to give one starting with a dash, write ${name}=${value}.`;
  }
  const first = message.split('\n')[0]!.replace(/\. To specify.*$/, '.');
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** Plain decimal notation only: Number() would also take 0x10, 0b11, ' 5' and '1e'. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

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
  const kind = rule.integer ? 'a whole number' : 'a decimal number';
  if (!DECIMAL.test(raw) || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${kind}, not '${raw}'.`);
  }
  if (rule.min !== undefined && value < rule.min) throw new UsageError(`--${name} must be at least ${rule.min}, not ${raw}.`);
  if (rule.max !== undefined && value > rule.max) throw new UsageError(`--${name} must be at most ${rule.max}, not ${raw}.`);
  return value;
}

/** A string flag that must be one of `values` (the engine's own list, so the message names what it accepts). */
export function choiceOption<T extends string>(parsed: Parsed, name: string, values: readonly T[]): T | undefined {
  const raw = stringOption(parsed, name);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${values.join(', ')}, not '${raw}'.`);
  return raw as T;
}

/** Exactly one positional, or exactly one of the named alternatives. */
export function onePositional(parsed: Parsed, what: string): string {
  if (parsed.positionals.length === 0) throw new UsageError(`Missing ${what}.`);
  if (parsed.positionals.length > 1) throw new UsageError(`Expected one ${what}, got: ${parsed.positionals.join(' ')}.`);
  return parsed.positionals[0]!;
}
