import { formatLabels, newFileExtension, type ExportFormat } from '../../shared/export-formats.js';
import { exportPresets, isPresetName, presetNames, presetSettingsInput, type ExportPreset } from '../../shared/export-presets.js';
import type { RenderSettings } from '../../shared/render/render-settings.js';
import { formatForPath } from '../engine/pipeline/render-flow.js';
import { stringOption, type Parsed } from './args.js';
import { budgetOptionSpec, budgetUsage, maxBytesFrom } from './output-args.js';
import { renderOptionSpecs, renderSettingsFrom } from './render-settings-args.js';
import { UsageError } from './usage-error.js';

/** `--preset NAME`, `--max-size` and the look flags: everything render and make write with. */
export const outputOptionSpecs = { preset: { type: 'string' }, ...renderOptionSpecs, ...budgetOptionSpec } as const;
export const presetUsage = `[--preset ${presetNames.join('|')}] ${budgetUsage}`;

function presetFrom(parsed: Parsed): ExportPreset | undefined {
  const name = stringOption(parsed, 'preset');
  if (name === undefined) return undefined;
  if (!isPresetName(name)) throw new UsageError(`--preset must be one of ${presetNames.join(', ')}, not '${name}'.`);
  return exportPresets[name];
}

export interface OutputRequest {
  readonly format: ExportFormat;
  readonly settings: RenderSettings;
  readonly maxBytes: number | undefined;
}

/**
 * What to write to `outputPath`: its format, the settings and the size limit. A preset's values
 * sit under the flags typed with it. Its format is not overridden by -o's extension: a file named
 * for another format would be a silent contradiction, so it is refused instead.
 */
export function outputRequestFrom(parsed: Parsed, outputPath: string): OutputRequest {
  const format = formatForPath(outputPath);
  const preset = presetFrom(parsed);
  if (preset !== undefined && preset.format !== format) {
    const extension = newFileExtension(preset.format);
    throw new UsageError(`--preset ${preset.name} writes ${formatLabels[preset.format]}, but -o names ${formatLabels[format]}; end -o with ${extension}, or leave out --preset.`);
  }
  const settings = renderSettingsFrom(parsed, preset === undefined ? undefined : presetSettingsInput(preset));
  return { format, settings, maxBytes: maxBytesFrom(parsed, format, preset?.maxBytes) };
}
