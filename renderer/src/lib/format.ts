import type { Progress } from '../../../shared/job.js';

/**
 * "Queued · 1 job ahead" while a job waits for its turn in the engine, undefined once it runs.
 * The engine reports stage 'queued' with metrics.ahead, and the same stage done when it starts.
 */
export function queuedText(progress: Progress | undefined): string | undefined {
  if (progress?.stage !== 'queued' || progress.done >= progress.total) return undefined;
  const ahead = progress.metrics?.['ahead'];
  return ahead === undefined ? 'Queued' : `Queued · ${ahead} ${ahead === 1 ? 'job' : 'jobs'} ahead`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

export function formatT(t: number): string {
  return t.toFixed(3);
}

/** The last path segment, whichever separator the host's platform uses. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Join a folder and a name with the folder's own separator (the host may be Windows). */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

/** A swirl as the slider shows it: "Off", "1 turn", "−0.5 turns" (a true minus sign). */
export function formatTurns(turns: number): string {
  if (turns === 0) return 'Off';
  const figure = `${turns < 0 ? '−' : ''}${Math.abs(turns)}`;
  return `${figure} ${Math.abs(turns) === 1 ? 'turn' : 'turns'}`;
}
