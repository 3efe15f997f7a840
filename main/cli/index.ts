#!/usr/bin/env node
import { createRequire } from 'node:module';
import { sweepTempFoldersAtStartup } from '../engine/project/owned-temp.js';
import { commands } from './commands/all.js';
import { EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, reportError } from './error-report.js';
import { createReporter, type ReporterMode } from './progress-reporter.js';

function usage(): string {
  const lines = ['Usage: flowgif COMMAND [options]', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${command.name.padEnd(12)} ${command.summary}`);
  lines.push('', 'Synopsis:');
  for (const command of commands) lines.push(`  flowgif ${command.usage}`);
  lines.push(
    '',
    'Common options: --json (one JSON result on stdout, progress as JSON lines on stderr), --help.',
    'Exit codes: 0 done, 1 failure, 2 bad usage, 130 cancelled.',
  );
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`flowgif: unknown command '${name}'.\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: flowgif ${command.usage}\n`);
    return EXIT_OK;
  }

  const json = rest.includes('--json');
  const mode: ReporterMode = json ? 'json' : process.stderr.isTTY ? 'bar' : 'quiet';
  const reporter = createReporter(mode);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    // A second Ctrl-C means "now": the first one is already unwinding cleanly.
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    // What killed FlowGIF runs left in the system temp folder goes before this run adds its own.
    await sweepTempFoldersAtStartup();
    await command.run(rest, {
      ctx: { signal: controller.signal, progress: reporter.progress },
      note(human, value) {
        if (json) process.stderr.write(`${JSON.stringify({ type: 'note', ...value })}\n`);
        else {
          reporter.finish();
          process.stderr.write(`${human}\n`);
        }
      },
      result(human, value) {
        reporter.finish();
        process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`);
      },
    });
    return EXIT_OK;
  } catch (error) {
    reporter.finish();
    return reportError(error, command.name, json);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

const exitCode = await main(process.argv.slice(2));
process.exitCode = exitCode;
