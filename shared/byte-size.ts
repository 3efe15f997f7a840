/**
 * A file-size budget as people write it: `5MB`, `15 MB`, `500kB`, `1.5GB`, `8MiB`, `250000`.
 * kB, MB and GB are decimal, as sites state their upload limits (X's 15 MB, GitHub's 10 MB),
 * so a file under "5MB" is under 5 000 000 bytes; KiB, MiB and GiB are binary. A bare number is
 * bytes. Undefined for anything else, or for a size under one byte.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(b|k|kb|m|mb|g|gb|kib|mib|gib)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const bytes = Math.floor(Number(match[1]) * unitBytes[unit]!);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

const unitBytes: Readonly<Record<string, number>> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/** A budget in the units it was most likely written in: 5 000 000 → "5 MB", 8 388 608 → "8 MiB". */
export function formatByteBudget(bytes: number): string {
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && Number.isInteger((bytes / size) * 100)) return `${bytes / size} ${unit}`;
  }
  return `${bytes.toLocaleString('en')} bytes`;
}

/** A size in the decimal units budgets are written in, so "6.1 MB" compares with "5 MB" as read. */
export function formatDecimalBytes(bytes: number): string {
  const [unit, size] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : bytes >= 1e3 ? ['kB', 1e3] : ['bytes', 1];
  const value = bytes / size;
  return `${size === 1 ? value : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
