import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportPresets, presetNames, presetSettingsInput } from '../../../shared/export-presets.js';
import { defaultRenderSettings, resolveRenderSettings } from '../../../shared/render/render-settings.js';
import { formFromSettings, settingsFromForm, type ExportForm } from './export-form.js';
import { applyPreset, budgetBytes, presetOfForm, sizeChoices, type BudgetChoice } from './export-preset.js';

const fresh = (): ExportForm => formFromSettings('gif', defaultRenderSettings);
const noLimit: BudgetChoice = { choice: 'none', customMb: 12 };

test('each preset fills the dialog with the settings the CLI’s --preset gives, and its limit', () => {
  for (const name of presetNames) {
    const preset = exportPresets[name];
    const { form, budget } = applyPreset(fresh(), preset);
    const parsed = settingsFromForm(form, defaultRenderSettings);
    assert.ok('settings' in parsed, `${name}: ${JSON.stringify(parsed)}`);
    // The CLI's --preset with no other flag: the same settings, field by field.
    const cli = resolveRenderSettings(presetSettingsInput(preset));
    assert.deepEqual(parsed.settings, cli, name);
    assert.equal(form.format, preset.format);
    assert.equal(budgetBytes(budget, form.format === 'png').maxBytes, preset.maxBytes, `${name}: its size limit`);
    assert.equal(presetOfForm(form, budget), name, `${name}: the menu shows the preset just chosen`);
    if (typeof preset.canvas !== 'object') assert.ok(sizeChoices.includes(preset.size), `${name}: the size menu offers ${preset.size} px`);
  }
});

test('editing any value a preset set shows Custom; other edits keep the preset', () => {
  const { form, budget } = applyPreset(fresh(), exportPresets.readme);
  assert.equal(presetOfForm({ ...form, fps: 24 }, budget), 'custom');
  assert.equal(presetOfForm({ ...form, size: 1080 }, budget), 'custom');
  assert.equal(presetOfForm({ ...form, particlesAuto: true }, budget), 'custom');
  assert.equal(presetOfForm(form, noLimit), 'custom', 'the limit is part of the preset');
  assert.equal(presetOfForm({ ...form, quality: 70, seed: 9 }, budget), 'readme', 'quality and seed are not the preset’s');
  assert.equal(presetOfForm(fresh(), noLimit), 'custom', 'the defaults are no preset');
});

test('a preset played once sets Plays once without a way back; the next preset brings the loop back', () => {
  const slides = applyPreset(fresh(), exportPresets.slides);
  assert.deepEqual([slides.form.canvas, slides.form.canvasWidth, slides.form.canvasHeight, slides.form.bounce, slides.form.plays, slides.form.background], ['custom', 1920, 1080, false, 'once', 'transparent']);
  const web = applyPreset(slides.form, exportPresets.web);
  assert.deepEqual([web.form.canvas, web.form.size, web.form.bounce, web.form.plays, web.form.background], ['picture', exportPresets.web.size, true, 'forever', 'transparent']);
  const readme = applyPreset(web.form, exportPresets.readme);
  assert.equal(readme.form.background, 'auto', 'an opaque preset puts back the picture’s own background');
});

test('the Fit under menu: a listed limit, none, or a custom MB of at least 10 kB', () => {
  assert.deepEqual(budgetBytes({ choice: '5000000', customMb: 12 }, false), { maxBytes: 5_000_000, invalid: false });
  assert.deepEqual(budgetBytes({ choice: 'custom', customMb: 0.15 }, false), { maxBytes: 150_000, invalid: false });
  assert.deepEqual(budgetBytes({ choice: 'custom', customMb: 0.001 }, false), { maxBytes: undefined, invalid: true });
  assert.deepEqual(budgetBytes({ choice: 'custom', customMb: Number.NaN }, false), { maxBytes: undefined, invalid: true });
  assert.deepEqual(budgetBytes({ choice: '5000000', customMb: 12 }, true), { maxBytes: undefined, invalid: false }, 'PNG frames have no limit');
});
