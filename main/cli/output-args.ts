import { parseByteSize } from '../../shared/byte-size.js';
import { exportFormats, newFileExtension, type ExportFormat } from '../../shared/export-formats.js';
import { stringOption, type Parsed } from './args.js';
import { UsageError } from './usage-error.js';

/** The extensions `-o` takes, from the one format list: gif|mp4|webm|… (a folder means PNG frames). */
const fileExtensions = exportFormats.map(newFileExtension).filter((extension) => extension !== '').map((extension) => extension.slice(1));

/** `OUT.(gif|mp4|…|DIR/)`, for usage lines. */
export const outputUsage = `OUT.(${fileExtensions.join('|')}|DIR/)`;

/** What `-o` names, for the message when it is missing. */
export const outputWhat = `OUT.${fileExtensions.join(', OUT.')} or DIR/`;

/** `--max-size SIZE` on the commands that write an animation (fit-under-budget.ts). */
export const budgetOptionSpec = { 'max-size': { type: 'string' } } as const;
export const budgetUsage = '[--max-size SIZE|none]';

/** --max-size, or else `otherwise` (a preset's limit), which --max-size none lifts. */
export function maxBytesFrom(parsed: Parsed, format: ExportFormat, otherwise?: number): number | undefined {
  const text = stringOption(parsed, 'max-size');
  if (text === undefined) return format === 'png' ? undefined : otherwise;
  if (text.trim().toLowerCase() === 'none') return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined) throw new UsageError(`--max-size must be a size like 5MB, 800kB or 8MiB, or none, not '${text}'.`);
  if (format === 'png') throw new UsageError('--max-size fits one file, but a folder of PNG frames is many; write a GIF, MP4, WebM, MOV, WebP or APNG.');
  return bytes;
}
