import { exportPresets, presetNames, type ExportPreset, type PresetName } from '../../../shared/export-presets.js';
import { budgetChoices } from '../../../shared/size-budget.js';
import { defaultTimeline } from '../../../shared/timeline.js';
import type { ExportForm } from './export-form.js';

/** The "Fit under" menu's state: a listed limit in bytes (as text), 'none', or 'custom' with a typed MB. */
export interface BudgetChoice {
  choice: string;
  customMb: number;
}

/** The limit the menu asks for; invalid while a custom one is not a size of at least 10 kB. */
export interface BudgetLimit {
  readonly maxBytes: number | undefined;
  readonly invalid: boolean;
}

export function budgetBytes(budget: BudgetChoice, folder: boolean): BudgetLimit {
  if (folder || budget.choice === 'none') return { maxBytes: undefined, invalid: false };
  if (budget.choice !== 'custom') return { maxBytes: Number(budget.choice), invalid: false };
  const bytes = Math.round(budget.customMb * 1e6);
  const invalid = !(Number.isFinite(bytes) && bytes >= 10_000);
  return { maxBytes: invalid ? undefined : bytes, invalid };
}

/** Every size the dialog's size menu offers: the usual ones and each preset's long side. */
const presetSizes = presetNames.map((name) => exportPresets[name]).filter((preset) => typeof preset.canvas !== 'object').map((preset) => preset.size);
export const sizeChoices: readonly number[] = [...new Set([256, 384, 512, 720, 1024, 1080, 1440, ...presetSizes])].sort((a, b) => a - b);

/** A preset's limit as the menu shows it: a listed choice, or typed in as a custom one. */
function budgetOf(preset: ExportPreset): BudgetChoice {
  if (preset.maxBytes === undefined) return { choice: 'none', customMb: 12 };
  return budgetChoices.includes(preset.maxBytes) ? { choice: String(preset.maxBytes), customMb: 12 } : { choice: 'custom', customMb: preset.maxBytes / 1e6 };
}

/** The form with a preset's documented values (export-presets.ts); everything else is kept. */
export function applyPreset(form: ExportForm, preset: ExportPreset): { form: ExportForm; budget: BudgetChoice } {
  const exact = typeof preset.canvas === 'object' ? preset.canvas : undefined;
  const loops = preset.timeline.loops ?? defaultTimeline.loops;
  return {
    form: {
      ...form,
      format: preset.format,
      ...(exact === undefined ? { size: preset.size, canvas: preset.canvas as 'picture' | 'square' } : { canvas: 'custom', canvasWidth: exact.width, canvasHeight: exact.height }),
      fps: preset.timeline.fps,
      seconds: preset.timeline.durationSeconds,
      particles: preset.particles,
      particlesAuto: false,
      background: preset.transparent ? 'transparent' : 'auto',
      bounce: preset.timeline.bounce ?? defaultTimeline.bounce,
      plays: loops === 0 ? 'forever' : loops === 1 ? 'once' : 'times',
      ...(loops > 1 ? { playTimes: loops } : {}),
    },
    budget: budgetOf(preset),
  };
}

/** The preset the form shows now, or 'custom' once any value a preset sets is changed. */
export function presetOfForm(form: ExportForm, budget: BudgetChoice): PresetName | 'custom' {
  const matches = (preset: ExportPreset): boolean => {
    const applied = applyPreset(form, preset);
    const keys = Object.keys(applied.form) as (keyof ExportForm)[];
    const limit = applied.budget;
    return keys.every((key) => applied.form[key] === form[key]) && limit.choice === budget.choice && (limit.choice !== 'custom' || limit.customMb === budget.customMb);
  };
  return presetNames.find((name) => matches(exportPresets[name])) ?? 'custom';
}
