import { formatByteBudget } from '../../shared/byte-size.js';
import { formatLabels } from '../../shared/export-formats.js';
import { exportPresets, presetNames, type ExportPreset } from '../../shared/export-presets.js';

function shape(preset: ExportPreset): string {
  if (typeof preset.canvas === 'object') return `${preset.canvas.width} × ${preset.canvas.height}`;
  return preset.canvas === 'square' ? `${preset.size} × ${preset.size}` : `${preset.size} px long side`;
}

/** The README's preset table, made from the presets themselves so the two cannot drift (cli-docs.test.ts). */
export function presetTable(): string {
  const rows = presetNames.map((name) => {
    const p = exportPresets[name];
    const plays = p.timeline.bounce === false ? 'once, held on the picture' : 'seamless loop';
    return `| \`${name}\` | ${formatLabels[p.format]} | ${shape(p)} | ${p.timeline.fps} | ${p.timeline.durationSeconds} s, ${plays} | ${p.particles.toLocaleString('en').replace(/,/g, ' ')} | ${p.transparent ? 'transparent' : "the picture's own"} | ${p.maxBytes === undefined ? 'none' : formatByteBudget(p.maxBytes)} | ${p.purpose} |`;
  });
  return ['| preset | format | size | fps | noise → picture | particles | background | fit under | for |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
