import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRenderSettings, resolveRenderSettings, styleRanges, type RenderSettings } from '../../../shared/render/render-settings.js';
import { frameCount } from '../../../shared/timeline.js';
import { densityShown, formFromSettings, outputPathProblem, settingsFromForm, type ExportForm, type FieldProblems } from './export-form.js';

function settingsOf(form: ExportForm, base: RenderSettings = defaultRenderSettings): RenderSettings {
  const parsed = settingsFromForm(form, base);
  if (!('settings' in parsed)) throw new Error(`expected settings, got problems ${JSON.stringify(parsed.problems)}`);
  return parsed.settings;
}

function problemsOf(form: ExportForm): FieldProblems {
  const parsed = settingsFromForm(form, defaultRenderSettings);
  if (!('problems' in parsed)) throw new Error('expected problems, got settings');
  return parsed.problems;
}

const form = (changes: Partial<ExportForm> = {}): ExportForm => ({ ...formFromSettings('gif', defaultRenderSettings), ...changes });

test('a project saved with every style option set reopens with the same values (formFromSettings ↔ settingsFromForm)', () => {
  const saved = resolveRenderSettings({
    size: 720,
    particles: 12_345,
    pointSize: 2.25,
    seed: 4_000_000_000,
    colour: 'solid',
    solidColour: [200, 40, 10, 128],
    mode: 'density',
    densityLook: 'map',
    colourMap: 'viridis',
    densitySmoothing: 3.5,
    blend: 'additive',
    opacity: 0.4,
    quality: 70,
    timeline: { fps: 24, durationSeconds: 2, easing: 'smoothstep', holdStartSeconds: 0.5, holdEndSeconds: 2, reverse: true, bounce: false, loops: 3 },
  });
  const shown = formFromSettings('webp', saved);
  assert.equal(shown.mode, 'density');
  assert.equal(shown.densityLook, 'map');
  assert.equal(shown.colourMap, 'viridis');
  assert.equal(shown.blend, 'additive');
  assert.equal(shown.opacity, 0.4);
  assert.equal(shown.solidColour, '#c8280a');
  assert.equal(shown.easing, 'smoothstep');
  assert.equal(shown.seed, 4_000_000_000);
  assert.equal(shown.holdStart, 0.5);
  assert.equal(shown.holdEnd, 2);
  assert.equal(shown.reverse, true);
  assert.equal(shown.plays, 'times');
  assert.equal(shown.playTimes, 3);
  // The picker has no alpha: the saved colour's own alpha survives the round trip.
  assert.deepEqual(settingsOf(shown, saved), saved);
});

test('loops: forever, once and n times, and n must be more than one', () => {
  assert.equal(settingsOf(form({ plays: 'forever' })).timeline.loops, 0);
  assert.equal(settingsOf(form({ plays: 'once' })).timeline.loops, 1);
  assert.equal(settingsOf(form({ plays: 'times', playTimes: 5 })).timeline.loops, 5);
  assert.equal(formFromSettings('gif', resolveRenderSettings({ timeline: { loops: 1 } })).plays, 'once');
  assert.ok(/from 2 to 65/.test(problemsOf(form({ plays: 'times', playTimes: 1 })).playTimes ?? ''), problemsOf(form({ plays: 'times', playTimes: 1 })).playTimes ?? '');
  assert.ok(/whole number/.test(problemsOf(form({ plays: 'times', playTimes: 2.5 })).playTimes ?? ''), problemsOf(form({ plays: 'times', playTimes: 2.5 })).playTimes ?? '');
});

test('the dot size takes exactly the shared range (styleRanges), not a range of its own', () => {
  const { min, max } = styleRanges.pointSize;
  assert.equal(settingsOf(form({ pointSizeAuto: false, pointSize: 20 })).pointSize, 20, 'above the 16 px the form once capped at');
  assert.equal(settingsOf(form({ pointSizeAuto: false, pointSize: max })).pointSize, max);
  assert.equal(settingsOf(form({ pointSizeAuto: false, pointSize: min })).pointSize, min);
  assert.equal(problemsOf(form({ pointSizeAuto: false, pointSize: max + 0.5 })).pointSize, `${min} to ${max} px.`);
  assert.equal(problemsOf(form({ pointSizeAuto: false, pointSize: min / 2 })).pointSize, `${min} to ${max} px.`);
  // Particles: the shared 1 to 2 000 000.
  assert.equal(settingsOf(form({ particlesAuto: false, particles: 500 })).particles, 500);
});

test('opacity, smoothing, seed, holds and fps are checked against the shared ranges, each beside its own field', () => {
  const problems = problemsOf(form({ opacity: 1.5, densitySmoothing: 65, seed: -1, holdStart: 61, holdEnd: Number.NaN, fps: 0.5, seconds: 0.05 }));
  assert.equal(problems.opacity, '0 to 1.');
  assert.equal(problems.densitySmoothing, '0 to 64 px.');
  assert.ok(/^A whole number from 0 to 4.294.967.295\.$/.test(problems.seed ?? ''), problems.seed ?? '');
  assert.equal(problems.holdStart, '0 to 60 s.');
  assert.equal(problems.holdEnd, '0 to 60 s.');
  assert.equal(problems.fps, '1 to 120 fps.');
  assert.equal(problems.seconds, '0.1 to 600 s.');
  // In the app's words: no flag names.
  for (const message of Object.values(problems)) assert.ok(!/--|holdStart|densitySmoothing/.test(message), message);
});

test('holds add their frames, reverse and easing reach the timeline, the solid colour its settings', () => {
  const plain = settingsOf(form());
  const held = settingsOf(form({ holdStart: 2, holdEnd: 3, reverse: true, easing: 'linear' }));
  assert.equal(frameCount(held.timeline) - frameCount(plain.timeline), 2 * 20 + 2 * 20, '2 s more at the start, 2 s more at the end, at 20 fps');
  assert.equal(held.timeline.reverse, true);
  assert.equal(held.timeline.easing, 'linear');
  const solid = settingsOf(form({ colour: 'solid', solidColour: '#ff8000' }));
  assert.equal(solid.colour, 'solid');
  assert.deepEqual(solid.solidColour, [255, 128, 0, 255]);
  assert.equal(problemsOf(form({ colour: 'solid', solidColour: 'orange' })).solidColour, 'Pick a colour.');
  const glow = settingsOf(form({ blend: 'additive', mode: 'density', colourMap: 'magma', densityLook: 'map', seed: 7 }));
  assert.deepEqual([glow.blend, glow.mode, glow.colourMap, glow.densityLook, glow.seed], ['additive', 'density', 'magma', 'map', 7]);
});

test('the defaults the form shows are the shared defaults the CLI uses', () => {
  assert.deepEqual(settingsOf(form()), defaultRenderSettings);
});

test('particles typed above the automatic count: the dot shown is the one the export draws, and a reopened project keeps it automatic', () => {
  const typed = form({ size: 1080, particles: 1_000_000, particlesAuto: false });
  const settings = settingsOf(typed);
  assert.equal(densityShown(typed).pointSize, settings.pointSize);
  assert.ok(settings.pointSize < resolveRenderSettings({ size: 1080 }).pointSize, 'smaller than the automatic dot of the size');
  const reopened = formFromSettings('gif', settings);
  assert.deepEqual([reopened.particlesAuto, reopened.pointSizeAuto], [false, true]);
});

test('the output path is checked in the dialog: empty or relative paths say what to type, whole ones pass', () => {
  assert.equal(outputPathProblem('/home/me/out.gif', false), undefined);
  assert.equal(outputPathProblem('  /home/me/frames ', true), undefined);
  assert.equal(outputPathProblem('C:\\Users\\me\\out.gif', false), undefined);
  assert.equal(outputPathProblem('D:/out.gif', false), undefined);
  assert.equal(outputPathProblem('\\\\server\\share\\out.gif', false), undefined);
  assert.equal(outputPathProblem('', false), 'Name the file to write.');
  assert.equal(outputPathProblem('   ', true), 'Name the folder to write the frames into.');
  for (const relative of ['out.gif', './out.gif', '~/out.gif', 'C:out.gif']) {
    assert.equal(outputPathProblem(relative, false), `Give the whole path, from / (or a drive letter such as C:\\ on Windows), not ${relative}.`);
  }
});
