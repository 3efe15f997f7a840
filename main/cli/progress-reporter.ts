import type { Progress } from '../../shared/job.js';
import { throttleProgress } from '../../shared/progress-throttle.js';

export type ReporterMode = 'bar' | 'json' | 'quiet';

export interface Reporter {
  readonly progress: (progress: Progress) => void;
  /** Clears the bar line so the next message starts on a clean line. */
  finish(): void;
}

const stageLabels: Record<Progress['stage'], string> = {
  queued: 'Queued',
  load: 'Loading',
  prepare: 'Preparing',
  train: 'Training',
  sample: 'Sampling',
  evaluate: 'Evaluating',
  integrate: 'Integrating',
  encode: 'Encoding',
  write: 'Writing',
};

/** A bar on a terminal, JSON lines for scripts, nothing for pipes: all on stderr. */
export function createReporter(mode: ReporterMode, stream: NodeJS.WriteStream = process.stderr): Reporter {
  if (mode === 'quiet') return { progress: () => {}, finish: () => {} };
  if (mode === 'json') {
    return {
      progress: throttleProgress((progress) => stream.write(`${JSON.stringify({ type: 'progress', ...progress })}\n`), 100),
      finish: () => {},
    };
  }
  let drawn = false;
  return {
    progress: throttleProgress((progress) => {
      const columns = stream.columns ?? 80;
      stream.write(`\r${formatBar(progress, columns)}\u001b[K`);
      drawn = true;
    }, 100),
    finish() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}

export function formatBar(progress: Progress, columns: number): string {
  const fraction = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const label = stageLabels[progress.stage].padEnd(11);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const details: string[] = [];
  const loss = progress.metrics?.['loss'];
  if (loss !== undefined) details.push(`loss ${loss.toPrecision(4)}`);
  const rate = progress.metrics?.['samplesPerSecond'];
  if (rate !== undefined) details.push(`${formatCount(rate)}/s`);
  if (progress.etaMs !== undefined && fraction < 1) details.push(`ETA ${formatDuration(progress.etaMs)}`);
  if (progress.message !== undefined) details.push(progress.message);
  const tail = details.join('  ');
  const width = Math.max(10, Math.min(30, columns - label.length - percent.length - tail.length - 6));
  const filled = Math.round(fraction * width);
  return `${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${percent}  ${tail}`.slice(0, columns - 1);
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}

function formatCount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}
