/**
 * A size as the app shows it: binary units (1 KB = 1024 bytes, as file managers on every
 * platform but macOS count), one decimal below 10 of a unit, whole numbers above.
 * The CLI and the engine's messages print sizes the same way.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
