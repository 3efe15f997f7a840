import type { JobContext } from '../../shared/job.js';

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
  run(args: readonly string[], io: CommandIo): Promise<void>;
}
