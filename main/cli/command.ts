import type { JobContext } from '../../shared/job.js';
import type { Options } from './args.js';

export interface CommandIo {
  readonly ctx: JobContext;
  /** One final result: a JSON object with --json, human lines otherwise. */
  readonly result: (human: string, json: Readonly<Record<string, unknown>>) => void;
  /** Something worth telling while work goes on (stderr: a line, or a JSON line with --json). */
  readonly note: (human: string, json: Readonly<Record<string, unknown>>) => void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Its flags, as node:util parseArgs takes them: what it accepts, for the parser and the docs' check. */
  readonly options: Options;
  run(args: readonly string[], io: CommandIo): Promise<void>;
}
