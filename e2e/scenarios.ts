import assert, { AssertionError } from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { checkAccessible } from './accessibility.js';
import { gridDifference, inkPieces, readCanvas } from './page-pixels.js';
import { alertsOnScreen, waitForAttribute, waitForState } from './page-checks.js';
import { OTHER_SAMPLE, SAMPLE, samplesDir } from './paths.js';

/** What a scenario body gets, whichever target (Chromium + web host, or Electron) runs it. */
export interface ScenarioContext {
  readonly page: Page;
  /** An empty folder the export may write to. */
  readonly exportDir: string;
  /** Saves a screenshot of the whole window under artifacts/e2e/ and returns its path. */
  shot(name: string): Promise<string>;
  /** A line in the test report (timings, what was seen). */
  note(message: string): void;
}

/**
 * A failed check after which the app is still in the state the next steps need (a latency
 * budget missed, the work itself done): the test fails, the journey goes on.
 */
export class JourneyContinues extends AssertionError {}

export interface Scenario {
  readonly name: string;
  /** Starts from the app as just opened; otherwise it continues the journey of the steps before. */
  readonly fresh: boolean;
  readonly timeoutMs: number;
  run(context: ScenarioContext): Promise<void>;
}

/** The acceptance's UI latency budget from a sample's click to a drawn preview. Not a benchmark. */
const PREVIEW_BUDGET_MS = 2000;
/** Generous bounds for the engine's real work on a slow 2-core CI machine; waits end as soon as the state arrives. */
const ENGINE_START_MS = 30_000;
const SLOW_JOB_MS = 90_000;
/** The app's full preview pass (PREVIEW_PARTICLES in renderer/src/lib/app-state.svelte.ts; e2e imports nothing of the renderer). */
const FULL_PREVIEW_PARTICLES = '50000';

/** The text scenario reads the preview on a finer grid than the default: the gap between H and i is a few percent of the width. */
const TEXT_GRID = 96;
const TEXT_INK_BELOW = 200;

const EXPORT_FPS = 5;
const EXPORT_SECONDS = 2;
/** Frames of the app's default loop: n there, 1 s held on the picture, n − 2 back. */
const loopFrames = (seconds: number): number => EXPORT_FPS * seconds + EXPORT_FPS + (EXPORT_FPS * seconds - 2);
const EXPORT_FRAMES = loopFrames(EXPORT_SECONDS);
const EXPORT_SIZE = 256;
/** Few particles keep the export of a trained model quick; the frame count is what is checked. */
const EXPORT_PARTICLES = 5000;

/** The app has connected to its engine and listed the bundled samples. */
async function sampleButton(page: Page, name: string) {
  const button = page.getByTestId(`sample-${name}`);
  await button.waitFor({ state: 'visible', timeout: ENGINE_START_MS });
  return button;
}

/** Clicks the sample and waits for its preview: the start of every fresh journey after the first. */
async function openSampleAndWait(page: Page): Promise<void> {
  const button = await sampleButton(page, SAMPLE);
  await button.click();
  await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: `the preview of ${SAMPLE}` });
}

async function openExportDialog(page: Page): Promise<Locator> {
  await page.getByTestId('export-open').click();
  const dialog = page.getByRole('dialog', { name: 'Export animation' });
  await dialog.waitFor({ state: 'visible', timeout: 5000 });
  return dialog;
}

/** A small GIF at the tests' size and frame rate, `seconds` from noise to the picture. */
async function fillGifBasics(page: Page, dialog: Locator, seconds: number): Promise<void> {
  await page.getByTestId('export-format').selectOption('gif');
  await dialog.getByLabel('Size (long side)').selectOption(String(EXPORT_SIZE));
  await page.getByTestId('export-fps').fill(String(EXPORT_FPS));
  await page.getByTestId('export-seconds').fill(String(seconds));
}

/** A folder of its own under the suite's export folder: scenarios that check a folder's contents need one, since the others export next to them. */
async function exportFolder(exportDir: string, name: string): Promise<string> {
  const folder = path.join(exportDir, name);
  await fs.mkdir(folder, { recursive: true });
  return folder;
}

const openSample: Scenario = {
  name: 'opens a bundled sample: the preview is drawn within 2 s of the click and is not blank',
  fresh: true,
  timeoutMs: 60_000,
  async run({ page, shot, note }) {
    const button = await sampleButton(page, SAMPLE);
    const canvas = page.getByTestId('preview-canvas');
    assert.equal(await canvas.getAttribute('data-state'), 'empty', 'a fresh app shows no preview yet');
    assert.equal(await button.isEnabled(), true, 'the sample can be clicked');
    assert.equal(await page.getByTestId('timeline-slider').getAttribute('aria-disabled'), 'true', 'nothing to scrub yet');
    await shot('0-fresh');
    await checkAccessible(page, 'on the empty state', note, { dark: true });

    const clicked = performance.now();
    await button.click();
    const what = `the preview of ${SAMPLE}`;
    let late: AssertionError | undefined;
    try {
      await waitForState(page, 'preview-canvas', 'ready', { since: clicked, timeoutMs: PREVIEW_BUDGET_MS, what: `${what} (UI latency budget)` });
    } catch (error) {
      if (!(error instanceof AssertionError)) throw error;
      late = error;
      // Over budget: still wait for the preview, so the checks below and the steps after run.
      await waitForState(page, 'preview-canvas', 'ready', { since: clicked, timeoutMs: SLOW_JOB_MS, what });
    }
    const ms = performance.now() - clicked;
    note(`preview of ${SAMPLE} ready ${Math.round(ms)} ms after the click (budget ${PREVIEW_BUDGET_MS} ms)`);

    const pixels = await readCanvas(canvas);
    note(`canvas ${pixels.width}×${pixels.height}, ${(pixels.inkFraction * 100).toFixed(1)} % of pixels differ from the background ${JSON.stringify(pixels.background)}`);
    assert.ok(pixels.width > 0 && pixels.height > 0, 'the preview canvas has a size');
    assert.ok(pixels.inkFraction > 0.005, `the preview is blank: only ${(pixels.inkFraction * 100).toFixed(2)} % of pixels differ from the background`);
    assert.equal(await canvas.getAttribute('data-t'), '1.000', 'a new picture starts at t = 1, the picture itself');
    await shot('1-image-open');
    await checkAccessible(page, 'with a picture open', note, { dark: true });
    if (late !== undefined) {
      throw new JourneyContinues({
        message: `${what} was ready ${Math.round(ms)} ms after the click: over the UI latency budget of ${PREVIEW_BUDGET_MS} ms`,
        actual: Math.round(ms),
        expected: PREVIEW_BUDGET_MS,
        operator: '<=',
      });
    }
  },
};

const train: Scenario = {
  name: 'trains the fast preset on the minimum budget: progress with a percentage and a loss, then done',
  fresh: false,
  timeoutMs: 120_000,
  async run({ page, shot, note }) {
    const panel = page.getByRole('region', { name: 'Training' });
    // No GPU here: the backend badge says where training runs and what would make it faster.
    assert.match((await page.getByTestId('backend-label').getAttribute('title')) ?? '', /runs on the CPU .*NVIDIA GPU/);
    const budget = panel.getByLabel('Time budget (seconds)');
    const minimum = await budget.getAttribute('min');
    assert.ok(minimum !== null && Number(minimum) > 0, 'the budget field states its minimum');
    await budget.fill(minimum);
    // Each method says what it trains on: here both on onnxruntime.
    const badge = page.getByTestId('backend-label');
    await panel.getByRole('radio', { name: /FFJORD/ }).check();
    await badge.filter({ hasText: /onnxruntime/ }).waitFor({ timeout: 5000 });
    await panel.getByRole('radio', { name: /Fast/ }).check();
    await badge.filter({ hasText: /onnxruntime/ }).waitFor({ timeout: 5000 });
    // The noise shape: the picture's own by default; round noise redraws the exact preview.
    const fitted = panel.getByRole('radio', { name: 'Noise shaped to the picture' });
    assert.equal(await fitted.isChecked(), true, 'the noise is shaped to the picture by default');
    await panel.getByRole('radio', { name: 'Round noise' }).check();
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: 'the preview from round noise' });
    await fitted.check();
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: 'the preview from fitted noise' });

    await page.getByTestId('train-start').click();
    await waitForState(page, 'train-progress', 'running', { timeoutMs: 10_000, failOn: ['failed'], what: 'training after Train' });
    const progress = page.getByTestId('train-progress');
    // Visible progress: a percentage above zero, and a loss value from the trainer.
    await progress.and(page.locator(':not([aria-valuenow="0"])')).waitFor({ state: 'attached', timeout: SLOW_JOB_MS });
    const percent = panel.getByText(/^\d{1,3} %/);
    await percent.waitFor({ state: 'visible', timeout: 10_000 });
    const loss = page.getByTestId('loss-chart').getByText(/^loss -?\d/);
    await loss.waitFor({ state: 'visible', timeout: SLOW_JOB_MS });
    const lossText = (await loss.innerText()).trim();
    assert.ok(Number.isFinite(Number(/^loss (\S+)/.exec(lossText)?.[1])), `the loss reads as a number: ${lossText}`);
    // The chart's axes carry values: the loss at its top and bottom, the steps at either end.
    const lossRange = (await page.getByTestId('loss-chart-y').innerText()).trim().split(/\s+/).map(Number);
    assert.ok(lossRange.length === 2 && lossRange.every(Number.isFinite) && lossRange[0]! >= lossRange[1]!, `the loss axis reads top to bottom: ${lossRange.join(', ')}`);
    assert.match((await page.getByTestId('loss-chart-x').innerText()).trim(), /^step \d+\s+\d+$/);
    // In view while it trains, unscrolled by the test: the choices fold to a line and the panel comes up.
    const chart = await page.getByTestId('loss-chart').boundingBox();
    const viewport = page.viewportSize();
    assert.ok(chart !== null && viewport !== null && chart.y >= 0 && chart.y + chart.height <= viewport.height, `the loss chart is in view while training (${JSON.stringify(chart)} in ${JSON.stringify(viewport)})`);
    assert.match(await page.getByTestId('train-chosen').innerText(), /Fast \(flow matching\) · noise shaped to the picture · \d+ s/);
    note(`while training: "${(await percent.innerText()).trim()}", "${lossText}", ${minimum} s budget`);
    await shot('2-training');
    await checkAccessible(page, 'while training', note);

    const canvas = page.getByTestId('preview-canvas');
    await waitForState(page, 'train-progress', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled'], what: `training with a ${minimum} s budget` });
    const trainedAt = performance.now();
    // Until the model's preview is drawn, the status says it is coming (2–3 s on this machine).
    const status = panel.getByText(/^Done/);
    const drawing = panel.getByText(/^Done.* · drawing its preview…$/);
    await drawing.waitFor({ state: 'visible', timeout: 5000 });
    note(`trained: "${(await status.innerText()).trim()}"`);
    // The preview follows the trained model once its trajectory arrives.
    assert.equal(await panel.getByRole('radio', { name: 'Trained model' }).isChecked(), true, 'the preview switches to the trained model');
    const ms = await waitForState(page, 'preview-canvas', 'ready', { since: trainedAt, timeoutMs: SLOW_JOB_MS, what: "the trained model's preview" });
    // The full preview: the exact flow's full pass was on screen before, so first its coarse pass
    // (fewer particles) replaces it, then the model's own full pass (the app's PREVIEW_PARTICLES).
    await canvas.and(page.locator(`:not([data-particles="${FULL_PREVIEW_PARTICLES}"])`)).waitFor({ state: 'attached', timeout: SLOW_JOB_MS });
    await waitForAttribute(canvas, 'data-particles', FULL_PREVIEW_PARTICLES, SLOW_JOB_MS, "the trained model's full preview");
    const fullMs = performance.now() - trainedAt;
    await drawing.waitFor({ state: 'detached', timeout: 5000 });
    const finished = (await status.innerText()).trim();
    assert.match(finished, /^Done: \d+ steps in /, 'once the full preview is drawn the status is Done alone');
    const planned = (await badge.innerText()).trim();
    assert.ok(finished.endsWith(` on ${planned}`), `the status says where it trained, the badge's ${planned}: "${finished}"`);
    note(`trained model's preview ready after ${(ms / 1000).toFixed(1)} s, its full preview (${FULL_PREVIEW_PARTICLES} particles) after ${(fullMs / 1000).toFixed(1)} s, from training done`);
    await shot('2-trained');
  },
};

const scrub: Scenario = {
  name: 'scrubs the timeline with the keyboard to t = 0.500 and the picture changes',
  fresh: false,
  timeoutMs: 30_000,
  async run({ page, shot, note }) {
    const canvas = page.getByTestId('preview-canvas');
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: 'the preview before scrubbing' });
    const slider = page.getByTestId('timeline-slider');
    assert.equal(await slider.getAttribute('role'), 'slider');

    await slider.focus();
    await slider.press('End');
    await waitForAttribute(slider, 'aria-valuenow', '1', 5000, 'the slider after End');
    await waitForAttribute(canvas, 'data-t', '1.000', 5000, 'the preview after End');
    const atPicture = await readCanvas(canvas);

    // The slider documents PageUp/PageDown as ±0.1: five steps down from t = 1.
    for (let i = 0; i < 5; i++) await slider.press('PageDown');
    await waitForAttribute(slider, 'aria-valuenow', '0.5', 5000, 'the slider after End and PageDown ×5');
    assert.match((await slider.getAttribute('aria-valuetext')) ?? '', /^t = 0\.500, frame \d+ of \d+, \d+\.\d\d s$/);
    await waitForAttribute(canvas, 'data-t', '0.500', 5000, 'the preview after scrubbing');
    const atHalf = await readCanvas(canvas);

    // Arrows step one frame of the export, Shift ten (the slider's title says so), and back;
    // the counter under t names the frame and its time in seconds.
    assert.match((await slider.getAttribute('title')) ?? '', /one frame of the export \(with Shift 10\), PageUp \/ PageDown t by 0\.1/);
    const counter = page.getByTestId('timeline-frame');
    const shown = async (): Promise<{ frame: number; of: number; seconds: number; t: number }> => {
      const text = (await counter.textContent()) ?? '';
      const match = /^frame (\d+) \/ (\d+) · (\d+\.\d\d) s$/.exec(text.trim());
      assert.ok(match !== null, `the frame counter reads "${text}"`);
      return { frame: Number(match[1]), of: Number(match[2]), seconds: Number(match[3]), t: Number(await slider.getAttribute('aria-valuenow')) };
    };
    const half = await shown();
    note(`t = 0.5 shows frame ${half.frame} of ${half.of} at ${half.seconds} s`);
    assert.ok(half.frame > 1 && half.frame < half.of, `t = 0.5 is inside the animation (frame ${half.frame} of ${half.of})`);
    const fps = (half.frame - 1) / half.seconds;
    await slider.press('ArrowRight');
    await counter.getByText(`frame ${half.frame + 1} / ${half.of}`, { exact: false }).waitFor({ timeout: 5000 });
    const next = await shown();
    assert.ok(next.t > 0.5 && next.t < 0.6, `one frame on, t moved a little past 0.5 (${next.t})`);
    assert.ok(Math.abs(next.seconds - half.frame / fps) < 0.011, `frame ${next.frame} is at ${next.seconds} s`);
    await slider.press('Shift+ArrowRight');
    await counter.getByText(`frame ${half.frame + 11} / ${half.of}`, { exact: false }).waitFor({ timeout: 5000 });
    await slider.press('Shift+ArrowLeft');
    await slider.press('ArrowLeft');
    await counter.getByText(`frame ${half.frame} / ${half.of}`, { exact: false }).waitFor({ timeout: 5000 });
    const back = await shown();
    assert.ok(back.t < next.t && Math.abs(back.t - 0.5) <= next.t - back.t, `back on the frame nearest t = 0.5 (t = ${back.t}, the next at ${next.t})`);
    await slider.press('End');
    for (let i = 0; i < 5; i++) await slider.press('PageDown');
    await waitForAttribute(slider, 'aria-valuenow', '0.5', 5000, 'the slider back at 0.5');
    assert.equal(await page.getByRole('slider', { name: 'Threshold' }).count(), 1, 'the threshold slider is named');

    const difference = gridDifference(atPicture, atHalf);
    note(`luma grid difference between t = 1 and t = 0.5: ${difference.toFixed(2)} of 255; ink ${(atPicture.inkFraction * 100).toFixed(1)} % → ${(atHalf.inkFraction * 100).toFixed(1)} %`);
    assert.ok(atHalf.inkFraction > 0.005, 'the preview at t = 0.5 is not blank');
    assert.ok(difference > 1, `the canvas barely changed between t = 1 and t = 0.5 (mean luma difference ${difference.toFixed(3)})`);
    await shot('3-t-0.5');
  },
};

const exportGif: Scenario = {
  name: `exports a ${EXPORT_FRAMES}-frame GIF into the chosen folder: a valid GIF on disk`,
  fresh: false,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    const dialog = await openExportDialog(page);
    assert.equal(await dialog.getByRole('slider', { name: 'Quality' }).count(), 1, 'the quality slider is named');
    await checkAccessible(page, 'with the export dialog open', note, { dark: true });
    await fillGifBasics(page, dialog, EXPORT_SECONDS);
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    const file = path.join(exportDir, 'journey.gif');
    await page.getByTestId('export-path').fill(file);
    await dialog.getByText(`${EXPORT_FRAMES} frames`, { exact: true }).waitFor({ state: 'visible', timeout: 5000 });
    // The size estimate is a job of its own: its answer reaches the dialog.
    const estimate = dialog.getByTestId('export-estimate');
    await estimate.getByText(/^≈ \d/).waitFor({ state: 'visible', timeout: SLOW_JOB_MS });
    note(`size estimate: "${(await estimate.innerText()).trim()}"`);
    // Another format: the figure on screen is the GIF's until the MP4's comes, and says so.
    await page.getByTestId('export-format').selectOption('mp4');
    assert.equal(await estimate.getAttribute('data-current'), 'false', 'the GIF estimate is not the MP4 one');
    assert.match(await estimate.innerText(), /updating…/);
    await waitForAttribute(estimate, 'data-current', 'true', SLOW_JOB_MS, "the MP4's size estimate");
    assert.doesNotMatch(await estimate.innerText(), /updating/);
    // A wrong field: no figure at all, since no export of these settings exists.
    const fps = page.getByTestId('export-fps');
    await fps.fill('0');
    await estimate.getByText(/≈/).waitFor({ state: 'detached', timeout: 5000 });
    await fps.fill(String(EXPORT_FPS));
    // A relative path is named beside its field, in the dialog's words, before the engine sees it.
    await page.getByTestId('export-path').fill('journey.gif');
    assert.match(await page.getByTestId('export-path-problem').innerText(), /^Give the whole path, from \/ .* not journey\.gif\.$/);
    assert.equal(await page.getByTestId('export-path').getAttribute('aria-invalid'), 'true', 'the path field is the one marked');
    assert.equal(await page.getByTestId('export-start').isDisabled(), true, 'no export of a path the engine would refuse');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-path-problem').waitFor({ state: 'detached', timeout: 5000 });
    await page.getByTestId('export-format').selectOption('gif');
    await waitForAttribute(estimate, 'data-current', 'true', SLOW_JOB_MS, "the GIF's size estimate again");
    await shot('4-export-dialog');

    const clicked = performance.now();
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled'], what: 'the GIF export' });
    note(`export done ${((performance.now() - clicked) / 1000).toFixed(1)} s after the click`);
    assert.equal(await page.getByTestId('export-status').getAttribute('data-path'), file);
    await shot('4-export-done');

    const bytes = await fs.readFile(file);
    assert.match(bytes.subarray(0, 6).toString('latin1'), /^GIF8[79]a$/, 'the file starts with the GIF signature');
    const metadata = await sharp(file, { animated: true }).metadata();
    assert.equal(metadata.format, 'gif');
    assert.equal(await gifFrames(file), EXPORT_FRAMES, `the GIF plays ${EXPORT_FRAMES} frames (${EXPORT_FPS} fps, ${EXPORT_SECONDS} s each way and 1 s on the picture)`);
    assert.ok((metadata.pages ?? 0) <= EXPORT_FRAMES, 'repeated frames are merged, never added');
    assert.equal(Math.max(metadata.width ?? 0, metadata.pageHeight ?? 0), EXPORT_SIZE, 'the long side is the chosen size');
    assert.deepEqual(await fs.readdir(exportDir), ['journey.gif'], 'the export leaves only its file in the folder (no temp files)');
    note(`${file}: ${bytes.length} bytes, ${metadata.pages} frames, ${metadata.width}×${metadata.pageHeight}`);

    // A side panel, not a modal: the preview beside it stays in view and the timeline still scrubs.
    const canvas = await page.getByTestId('preview-canvas').boundingBox();
    const panel = await dialog.boundingBox();
    assert.ok(canvas !== null && panel !== null && canvas.x + canvas.width <= panel.x + 1, `the preview (${JSON.stringify(canvas)}) is beside the panel (${JSON.stringify(panel)}), not under it`);
    const slider = page.getByTestId('timeline-slider');
    await slider.focus();
    await slider.press('Home');
    await waitForAttribute(page.getByTestId('preview-canvas'), 'data-t', '0.000', 5000, 'the preview at t = 0 with the export panel open');
    await slider.press('End');
    await waitForAttribute(page.getByTestId('preview-canvas'), 'data-t', '1.000', 5000, 'the preview at t = 1 with the export panel open');
    // Escape in the panel closes it, and the focus goes back to what opened it.
    await page.getByTestId('export-path').focus();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await page.evaluate("document.activeElement?.getAttribute('data-testid')"), 'export-open', 'the focus returns to Export…');
  },
};

/** ffprobe's view of a file's first stream, or undefined where ffprobe is not installed. */
async function probeFirstStream(file: string): Promise<Record<string, unknown> | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file]));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  return (JSON.parse(stdout) as { streams: Record<string, unknown>[] }).streams[0];
}

const exportTransparentWebm: Scenario = {
  name: 'exports a WebM with a transparent background through the dialog: VP9 with its alpha plane',
  fresh: false,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    // The dialog may still be open on the GIF export that came before.
    const dialog = page.getByRole('dialog', { name: 'Export animation' });
    if (!(await dialog.isVisible())) await openExportDialog(page);
    await fillGifBasics(page, dialog, EXPORT_SECONDS);
    await page.getByTestId('export-format').selectOption('webm');
    await dialog.getByLabel('Background').selectOption('transparent');
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    const file = path.join(exportDir, 'journey.webm');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled'], what: 'the WebM export' });
    assert.equal(await page.getByTestId('export-status').getAttribute('data-path'), file);
    await shot('4-webm-done');
    const bytes = await fs.readFile(file);
    assert.equal(bytes.readUInt32BE(0), 0x1a45dfa3, 'the file starts with the EBML (Matroska/WebM) signature');
    const stream = await probeFirstStream(file);
    if (stream === undefined) {
      note('ffprobe is not installed (apt-get install ffmpeg): the WebM was checked by its signature only');
      return;
    }
    const alphaMode = (stream['tags'] as Record<string, string> | undefined)?.['alpha_mode'];
    assert.deepEqual([stream['codec_name'], alphaMode, Number(stream['nb_read_frames'])], ['vp9', '1', EXPORT_FRAMES], 'VP9, alpha_mode 1, every frame');
    note(`${file}: ${bytes.length} bytes, ${stream['codec_name']} ${stream['width']}×${stream['height']}, alpha_mode ${alphaMode}, ${String(stream['nb_read_frames'])} frames`);
  },
};

/** The last frame of a video as RGBA pixels, through ffmpeg; undefined where ffmpeg is not installed. */
async function lastVideoFrame(file: string, png: string): Promise<{ data: Buffer; width: number; height: number } | undefined> {
  try {
    await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-sseof', '-0.5', '-i', file, '-update', '1', '-frames:v', '1', png]);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The dialog lies inside the window: it scrolls rather than run past the bottom. */
async function dialogFits(page: Page, dialog: Locator, width: number, height: number): Promise<string> {
  await page.setViewportSize({ width, height });
  const box = await dialog.boundingBox();
  assert.ok(box !== null, 'the dialog is on screen');
  assert.ok(box.y >= 0 && box.y + box.height <= height + 1 && box.x >= 0 && box.x + box.width <= width + 1, `the export dialog (${JSON.stringify(box)}) fits a ${width}×${height} window`);
  return `${width}×${height}: dialog ${Math.round(box.width)}×${Math.round(box.height)} at y ${Math.round(box.y)}`;
}

const exportStyleOptions: Scenario = {
  name: 'sets holds, plays once and a solid colour under More style: the exported WebM has the held frames and the colour',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const dialog = await openExportDialog(page);
    await fillGifBasics(page, dialog, 1);
    await page.getByTestId('export-format').selectOption('webm');
    await dialog.getByLabel('Background').selectOption('white');
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    await dialog.getByLabel('Colours').selectOption('solid');
    await page.getByTestId('export-solid-colour').fill('#ff0000');
    await dialog.getByLabel('Flow back to the start').uncheck();
    await page.getByTestId('export-plays').selectOption('once');
    await page.getByTestId('export-more-style').locator('summary').click();
    await page.getByTestId('export-hold-start').fill('1');
    await page.getByTestId('export-hold-end').fill('2');
    await page.getByTestId('export-opacity').fill('1');
    // One way, held 1 s at the start and 2 s on the picture: 5 + 5 + 10 frames at 5 fps.
    const expectedFrames = EXPORT_FPS * 1 + EXPORT_FPS * 1 + EXPORT_FPS * 2;
    const file = path.join(exportDir, 'styled.webm');
    await page.getByTestId('export-path').fill(file);
    note(await dialogFits(page, dialog, 1280, 800));
    await shot('9-more-style-1280x800');
    note(await dialogFits(page, dialog, 1024, 700));
    await shot('9-more-style-1024x700');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: 'the styled WebM export' });
    await shot('9-more-style-done');
    // The export history lists it, newest first; in the browser it downloads with the file's own bytes.
    const history = page.getByTestId('export-history');
    await history.locator('summary').click();
    const newest = history.getByTestId('export-history-entry').first();
    assert.equal(await newest.getAttribute('data-path'), file, 'the newest history entry is this export');
    const download = newest.getByTestId('export-history-download');
    if (await download.count() > 0) {
      const href = await download.getAttribute('href');
      assert.ok(href !== null);
      const served = await page.context().request.get(new URL(href, page.url()).href);
      assert.equal(served.status(), 200);
      assert.equal(served.headers()['content-type'], 'video/webm');
      assert.ok(Buffer.from(await served.body()).equals(await fs.readFile(file)), 'the download is the file');
      note(`download link ${href}: ${(await served.body()).length} bytes, the file's own`);
    }
    await shot('9-export-history');
    const stream = await probeFirstStream(file);
    if (stream === undefined) {
      note('ffprobe is not installed (apt-get install ffmpeg): the styled export was not checked');
      return;
    }
    assert.equal(Number(stream['nb_read_frames']), expectedFrames, 'the holds add their frames and nothing flows back');
    const frame = await lastVideoFrame(file, path.join(exportDir, 'styled-last.png'));
    assert.ok(frame !== undefined, 'ffmpeg decodes the last frame');
    let red = 0;
    let other = 0;
    for (let i = 0; i < frame.data.length; i += 4) {
      const [r, g, b] = [frame.data[i]!, frame.data[i + 1]!, frame.data[i + 2]!];
      if (r > 180 && g < 90 && b < 90) red++;
      else if (!(r > 200 && g > 200 && b > 200) && Math.abs(r - g) < 40) other++;
    }
    const pixels = frame.width * frame.height;
    note(`${file}: ${String(stream['nb_read_frames'])} frames; last frame ${frame.width}×${frame.height}: ${((100 * red) / pixels).toFixed(1)} % red, ${((100 * other) / pixels).toFixed(1)} % grey or dark`);
    assert.ok(red / pixels > 0.02, `the picture is drawn in the solid red: only ${red} of ${pixels} pixels are red`);
    assert.ok(other < red / 4, `few pixels in another colour than the red on white (${other} vs ${red} red)`);
  },
};

const exportFitUnder: Scenario = {
  name: 'exports a GIF with Fit under 0.15 MB: the file is under 150 000 bytes and the dialog says what was lowered',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const dialog = await openExportDialog(page);
    await fillGifBasics(page, dialog, EXPORT_SECONDS);
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    // Unlimited, this GIF is about 320 kB (the CLI, same settings).
    await page.getByTestId('export-budget').selectOption('custom');
    await page.getByTestId('export-budget-mb').fill('0.15');
    // The tries must leave nothing in the folder.
    const folder = await exportFolder(exportDir, 'fitted');
    const file = path.join(folder, 'fitted.gif');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-budget-note').waitFor({ state: 'visible', timeout: SLOW_JOB_MS });
    await shot('10-fit-under');
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: 'the size-limited GIF export' });
    await shot('10-fit-under-done');
    const said = (await page.getByTestId('export-budget-done').innerText()).trim();
    note(said);
    assert.match(said, /^Fitted under 150 kB: quality 90 → \d+/);
    const bytes = (await fs.stat(file)).size;
    note(`${file}: ${bytes} bytes, ${await gifFrames(file)} frames`);
    assert.ok(bytes <= 150_000 && bytes > 60_000, `${bytes} bytes for a limit of 150 000`);
    assert.equal(await gifFrames(file), EXPORT_FRAMES, 'every frame is kept: at 5 fps the frame rate is below what a budget lowers');
    assert.deepEqual(await fs.readdir(folder), ['fitted.gif'], 'the tries leave nothing in the folder');
  },
};

const exportPreset: Scenario = {
  name: 'the Web page preset fills the dialog (WebP, 480 px, 20 fps, transparent, under 10 MB); edited, it says Custom, and exports a transparent WebP',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const dialog = await openExportDialog(page);
    const preset = page.getByTestId('export-preset');
    await preset.selectOption('web');
    const filled = {
      format: await page.getByTestId('export-format').inputValue(),
      size: await dialog.getByLabel('Size (long side)').inputValue(),
      fps: await page.getByTestId('export-fps').inputValue(),
      seconds: await page.getByTestId('export-seconds').inputValue(),
      particles: await page.getByTestId('export-particles').inputValue(),
      background: await dialog.getByLabel('Background').inputValue(),
      budget: await page.getByTestId('export-budget').inputValue(),
    };
    note(`Web page preset: ${JSON.stringify(filled)}; ${await page.getByTestId('export-preset-purpose').innerText()}`);
    // The README's preset table, as a user reads it.
    assert.deepEqual(filled, { format: 'webp', size: '480', fps: '20', seconds: '3', particles: '60000', background: 'transparent', budget: '10000000' });
    assert.match(await page.getByTestId('export-path').inputValue(), /\.webp$/, 'the file name follows the preset\'s format');
    await shot('11-preset-web');
    // Fewer particles and a shorter pass keep the run short; the menu then says the settings are the user's.
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    await page.getByTestId('export-seconds').fill('0.5');
    assert.equal(await preset.inputValue(), 'custom', 'an edited preset shows Custom');
    const folder = await exportFolder(exportDir, 'preset');
    const file = path.join(folder, 'web.webp');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: 'the preset WebP export' });
    note(await page.getByTestId('export-budget-done').innerText());
    const meta = await sharp(file, { pages: -1 }).metadata();
    const first = await sharp(file, { pages: 1 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let clear = 0;
    for (let i = 3; i < first.data.length; i += 4) if (first.data[i] === 0) clear++;
    const share = clear / (first.info.width * first.info.height);
    note(`${file}: ${meta.format} ${meta.width}×${meta.pageHeight}, ${meta.pages} frames stored, first frame ${(100 * share).toFixed(1)} % clear, ${meta.size ?? (await fs.stat(file)).size} bytes`);
    assert.equal(meta.format, 'webp');
    assert.equal(Math.max(meta.width!, meta.pageHeight!), 480, 'the preset\'s 480 px long side');
    assert.ok(meta.pages! > 10, `${meta.pages} frames`);
    // 5000 particles of noise leave nearly every pixel clear (95 % measured at 720 px).
    assert.ok(share > 0.8, `the background is transparent: ${(100 * share).toFixed(1)} % of the first frame is clear`);
  },
};

const corruptImage: Scenario = {
  name: 'a truncated PNG upload shows an error naming the file, and the app keeps working',
  fresh: true,
  timeoutMs: 60_000,
  async run({ page, shot, note }) {
    const button = await sampleButton(page, OTHER_SAMPLE);
    const name = 'truncated-upload.png';
    const whole = await fs.readFile(path.join(samplesDir, OTHER_SAMPLE));
    // The signature and header survive; the image data is cut off.
    const truncated = whole.subarray(0, Math.min(200, Math.floor(whole.length / 4)));
    await page.getByTestId('image-file-input').setInputFiles({ name, mimeType: 'image/png', buffer: truncated });

    const alert = page.getByRole('alert').filter({ hasText: name });
    await alert.first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await alert.first().innerText()).replace(/\s+/g, ' ').trim();
    note(`error shown (data-testid=${await alert.first().getAttribute('data-testid')}): "${text}"`);
    assert.ok(text.includes(name), `the error names the file: ${text}`);
    assert.equal(await page.getByTestId('preview-canvas').getAttribute('data-state'), 'empty', 'no preview from a broken picture');
    await shot('5-error');

    await button.click();
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: `opening ${OTHER_SAMPLE} after the error` });
    const pixels = await readCanvas(page.getByTestId('preview-canvas'));
    assert.ok(pixels.inkFraction > 0.005, 'the preview after the error is not blank');
    await alert.first().waitFor({ state: 'detached', timeout: 5000 });
    await shot('5-recovered');
    // It is a PNG, cut short: the user must read that it is damaged, not that PNG is unsupported.
    assert.doesNotMatch(text, /unsupported|not an image/i, 'a truncated PNG is reported as damaged, not as an unsupported format');
  },
};

const uploadImage: Scenario = {
  name: 'a picture chosen through the file input opens and is previewed',
  fresh: true,
  timeoutMs: 60_000,
  async run({ page, shot, note }) {
    await sampleButton(page, OTHER_SAMPLE);
    const name = 'uploaded-picture.png';
    const buffer = await fs.readFile(path.join(samplesDir, OTHER_SAMPLE));
    await page.getByTestId('image-file-input').setInputFiles({ name, mimeType: 'image/png', buffer });
    // Ready, or an error (which fails the wait at once with the alert's text).
    const outcome = page.locator('[data-testid="preview-canvas"][data-state="ready"], [role="alert"]');
    await outcome.first().waitFor({ state: 'attached', timeout: SLOW_JOB_MS });
    const alerts = await alertsOnScreen(page);
    assert.equal(alerts, '', `uploading ${name} (${buffer.length} bytes, a copy of the bundled ${OTHER_SAMPLE}) failed.`);
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: `the preview of the uploaded ${name}` });
    await page.getByText(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 5000 });
    const pixels = await readCanvas(page.getByTestId('preview-canvas'));
    note(`uploaded ${name}: ${(pixels.inkFraction * 100).toFixed(1)} % ink`);
    assert.ok(pixels.inkFraction > 0.005, 'the preview of the uploaded picture is not blank');
    await shot('6-uploaded');
  },
};

const textPicture: Scenario = {
  name: 'the Text tab draws typed text as the picture: "Hi" is previewed as its letters, apart',
  fresh: true,
  timeoutMs: 60_000,
  async run({ page, shot, note }) {
    await sampleButton(page, OTHER_SAMPLE);
    await page.getByRole('tab', { name: 'Text' }).click();
    const input = page.getByRole('textbox', { name: /^Text/ });
    await input.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await page.getByTestId('text-use').isEnabled(), false, 'nothing to use before any text is typed');
    await input.fill('Hi');
    await page.getByTestId('text-use').click();
    const outcome = page.locator('[data-testid="preview-canvas"][data-state="ready"], [role="alert"]');
    await outcome.first().waitFor({ state: 'attached', timeout: SLOW_JOB_MS });
    assert.equal(await alertsOnScreen(page), '', 'using the text "Hi" failed');
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: 'the preview of the text "Hi"' });
    await page.getByText('text:Hi', { exact: true }).first().waitFor({ state: 'visible', timeout: 5000 });

    const canvas = page.getByTestId('preview-canvas');
    const pixels = await readCanvas(canvas, TEXT_GRID);
    const pieces = inkPieces(pixels, TEXT_INK_BELOW);
    note(`text "Hi": ${(pixels.inkFraction * 100).toFixed(1)} % ink; pieces of ink on a ${TEXT_GRID}² grid: ${pieces.slice(0, 5).map((p) => (p * 100).toFixed(1)).join(', ')} %`);
    await shot('9-text');
    const big = pieces.filter((share) => share > 0.02);
    assert.ok(big.length >= 2 && big.length <= 3, `the preview shows "Hi" as the H and the i apart (pieces over 2 %: ${big.length})`);
  },
};

/** Frames the GIF plays, at the export's rate: gifski merges repeats into longer pages. */
async function gifFrames(file: string): Promise<number> {
  const { delay = [] } = await sharp(file, { animated: true }).metadata();
  return Math.round((delay.reduce((sum, ms) => sum + ms, 0) * EXPORT_FPS) / 1000);
}

const replaceExport: Scenario = {
  name: 'exporting over an existing file asks "Replace …?" first: Cancel keeps the file, Replace writes the new one',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const dialog = await openExportDialog(page);
    await fillGifBasics(page, dialog, 1);
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    // A folder of its own: the journey's export checks that its folder holds only its file.
    const folder = await exportFolder(exportDir, 'replace');
    const file = path.join(folder, 'replace-me.gif');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: 'the first export to a new file' });
    assert.equal(await gifFrames(file), loopFrames(1), 'the first export: one second each way');

    // Two seconds now, to the same file: the app asks before replacing it.
    await page.getByTestId('export-seconds').fill(String(EXPORT_SECONDS));
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'confirm', { timeoutMs: 10_000, failOn: ['done', 'failed'], what: 'the export over an existing file' });
    const prompt = page.getByTestId('replace-prompt');
    const question = (await prompt.innerText()).replace(/\s+/g, ' ').trim();
    note(`asked: "${question}"`);
    assert.match(question, /^Replace replace-me\.gif\?/, 'the question names the file');
    assert.ok(question.includes(file), `the prompt shows where the file is: ${question}`);
    await shot('7-replace-prompt');

    await page.getByTestId('replace-cancel').click();
    await prompt.waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await page.getByTestId('export-status').getAttribute('data-state'), 'idle', 'Cancel starts nothing');
    assert.equal(await gifFrames(file), loopFrames(1), 'Cancel keeps the file as it was');

    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'confirm', { timeoutMs: 10_000, failOn: ['done', 'failed'], what: 'asking again' });
    await page.getByTestId('replace-confirm').click();
    await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: 'the export after Replace' });
    assert.equal(await gifFrames(file), EXPORT_FRAMES, 'Replace wrote the new two-second GIF');
    assert.deepEqual(await fs.readdir(folder), ['replace-me.gif'], 'one file, no temp files');
    note(`${file} replaced: ${loopFrames(1)} → ${EXPORT_FRAMES} frames`);
    await shot('7-replaced');
  },
};

const queuedExport: Scenario = {
  name: 'an export started during a training waits its turn, says "Queued", and cancels while queued',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const panel = page.getByRole('region', { name: 'Training' });
    await panel.getByLabel('Time budget (seconds)').fill('600');
    await page.getByTestId('train-start').click();
    await waitForState(page, 'train-progress', 'running', { timeoutMs: 30_000, failOn: ['failed'], what: 'training after Train' });

    const dialog = await openExportDialog(page);
    await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
    const folder = await exportFolder(exportDir, 'queued');
    const file = path.join(folder, 'queued.gif');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-start').click();
    await waitForState(page, 'export-status', 'queued', { timeoutMs: 10_000, failOn: ['done', 'failed', 'confirm'], what: 'an export behind a training' });
    const status = (await page.getByTestId('export-status').innerText()).replace(/\s+/g, ' ').trim();
    note(`export status while the training runs: "${status}"`);
    // Ahead: the training, and the dialog's own size estimate, which waits its turn too.
    assert.match(status, /^Queued · 1 job ahead/, 'the dialog says the export waits behind the training (its own estimate gives way)');
    await shot('8-export-queued');

    await page.getByTestId('export-cancel').click();
    await waitForState(page, 'export-status', 'cancelled', { timeoutMs: 10_000, failOn: ['done', 'failed'], what: 'cancelling the queued export' });
    await page.getByTestId('export-cancel').click();
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    await page.getByTestId('train-cancel').click();
    await waitForState(page, 'train-progress', 'cancelled', { timeoutMs: 30_000, failOn: ['done', 'failed'], what: 'cancelling the training' });
    assert.deepEqual(await fs.readdir(folder), [], 'the cancelled export wrote nothing');
  },
};

const stopAndKeep: Scenario = {
  name: 'Stop and keep ends a 600 s training at once and shows the model it learned so far',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, shot, note }) {
    await openSampleAndWait(page);
    // The smallest window the layout is made for: training's feedback must still be in view.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1024, height: 700 });
    // There the chooser folds under "Change picture…" and the Train button is in view, unscrolled.
    const change = page.getByTestId('picker-change');
    await change.waitFor({ state: 'visible', timeout: 5000 });
    const trainBox = await page.getByTestId('train-start').boundingBox();
    assert.ok(trainBox !== null && trainBox.y >= 0 && trainBox.y + trainBox.height <= 700 - 56, `the Train button is in view above the timeline at 1024 × 700: ${JSON.stringify(trainBox)}`);
    await shot('14-picture-1024x700');
    await change.click();
    await page.getByTestId(`sample-${SAMPLE}`).waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await change.count(), 0, 'unfolded, the chooser shows its samples again');
    const panel = page.getByRole('region', { name: 'Training' });
    await panel.getByLabel('Time budget (seconds)').fill('600');
    await page.getByTestId('train-start').click();
    // Offered once there is a model to keep: after the first step.
    const finish = page.getByTestId('train-finish');
    await finish.waitFor({ state: 'visible', timeout: SLOW_JOB_MS });
    await page.getByTestId('train-samples').waitFor({ state: 'visible', timeout: SLOW_JOB_MS });
    await shot('14-training-1024x700');
    for (const testId of ['train-progress', 'loss-chart', 'train-samples', 'train-finish', 'train-cancel']) {
      const box = await page.getByTestId(testId).boundingBox();
      assert.ok(box !== null && box.y >= 0 && box.y + box.height <= 700 && box.x >= 0 && box.x + box.width <= 1024, `${testId} is in view at 1024 × 700 while training, unscrolled: ${JSON.stringify(box)}`);
    }
    if (size !== null) await page.setViewportSize(size);
    const asked = performance.now();
    await finish.click();
    await waitForState(page, 'train-progress', 'done', { timeoutMs: 30_000, failOn: ['failed', 'cancelled'], what: 'the training after Stop and keep' });
    const stoppedMs = performance.now() - asked;
    const status = (await panel.getByText(/^Stopped and kept: \d+ steps in /).innerText()).trim();
    assert.equal(await panel.getByRole('radio', { name: 'Trained model' }).isChecked(), true, 'the preview switches to the kept model');
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: "the kept model's preview" });
    await waitForAttribute(page.getByTestId('preview-canvas'), 'data-particles', FULL_PREVIEW_PARTICLES, SLOW_JOB_MS, "the kept model's full preview");
    note(`Stop and keep: done ${(stoppedMs / 1000).toFixed(1)} s after the click, "${status}"`);
    await shot('14-stopped-and-kept');
  },
};

/** What playing the preview for a few seconds draws, sampled every animation frame in the page. */
interface PlaybackSample {
  /** Page ticks (animation frames) over the sample; the preview draws in the tick, so a slow frame slows them. */
  readonly ticks: number;
  /** Frames put on the canvas (its data-frames-shown): one for each export frame, none while a hold keeps t still. */
  readonly frames: number;
  readonly seconds: number;
  /** Each frame shown: its own drawing time, all stages (data-frame-ms). */
  readonly drawMs: number[];
  /** Each frame shown: the longest an animation frame spent on it (data-tick-ms). */
  readonly tickMs: number[];
  /** The longest gap between two animation frames, ms: over 16.7 a frame of the page's was dropped. */
  readonly longestGapMs: number;
  /** Gaps over 25 ms: the page's frames that were missed. */
  readonly missed: number;
  readonly particles: number[];
}

async function samplePlayback(page: Page, seconds: number): Promise<PlaybackSample> {
  // A string: it runs in the page, and the e2e code has no DOM types.
  return (await page.evaluate(`new Promise((resolve) => {
    const canvas = document.querySelector('[data-testid="preview-canvas"]');
    const drawMs = [], tickMs = [], particles = [];
    const first = Number(canvas.dataset.framesShown);
    let ticks = 0, seen = first, last, longestGapMs = 0, missed = 0;
    const start = performance.now();
    const tick = (now) => {
      ticks++;
      if (last !== undefined) {
        longestGapMs = Math.max(longestGapMs, now - last);
        if (now - last > 25) missed++;
      }
      last = now;
      const shown = Number(canvas.dataset.framesShown);
      if (shown !== seen) {
        seen = shown;
        drawMs.push(Number(canvas.dataset.frameMs));
        tickMs.push(Number(canvas.dataset.tickMs));
        particles.push(Number(canvas.dataset.particles));
      }
      if (now - start < ${seconds * 1000}) requestAnimationFrame(tick);
      else resolve({ ticks, frames: shown - first, seconds: (performance.now() - start) / 1000, drawMs, tickMs, longestGapMs, missed, particles });
    };
    requestAnimationFrame(tick);
  })`)) as PlaybackSample;
}

/**
 * Click → first preview and click → full pass, timed in the page from the pointer's press: a
 * recorder installed before the click sees every change of the canvas's attributes, so a coarse
 * pass that lasts less than a poll is not missed (the full pass can follow it within 0.2 s).
 */
async function timeSampleClick(page: Page, button: Locator, name: string): Promise<{ firstMs: number; fullMs: number }> {
  // Strings: they run in the page, and the e2e code has no DOM types.
  await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="preview-canvas"]');
    const log = (window.__previewTimes = {});
    addEventListener('pointerdown', () => (log.clicked ??= performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (log.clicked === undefined) return;
      const particles = canvas.dataset.particles;
      // The previous picture's full pass shows until the new coarse pass is drawn over it.
      if (log.first === undefined) {
        if (particles !== undefined && particles !== '${FULL_PREVIEW_PARTICLES}') log.first = performance.now();
      } else if (particles === '${FULL_PREVIEW_PARTICLES}') {
        log.full = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(canvas, { attributes: true, attributeFilter: ['data-particles'] });
  })()`);
  await button.click();
  try {
    // A function, not a string: the app's CSP forbids the page evaluating strings.
    await page.waitForFunction(() => (globalThis as { __previewTimes?: { full?: number } }).__previewTimes?.full !== undefined, undefined, { timeout: SLOW_JOB_MS });
  } catch (error) {
    throw new Error(`The full preview of ${name} was not drawn: ${JSON.stringify(await page.evaluate('window.__previewTimes'))} (${String(error)})`);
  }
  const times = (await page.evaluate('window.__previewTimes')) as { clicked: number; first: number; full: number };
  return { firstMs: times.first - times.clicked, fullMs: times.full - times.clicked };
}

const median = (values: readonly number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};

const previewTimings: Scenario = {
  name: 'preview timings at 1920 × 1080: click → first and full preview, then playback of 200 000 particles (measured, for BENCHMARKS.md)',
  fresh: true,
  timeoutMs: 120_000,
  async run({ page, shot, note }) {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1920, height: 1080 });
    const canvas = page.getByTestId('preview-canvas');
    // Every bundled sample, the usual one last so the playback below plays it.
    const samples = (await fs.readdir(samplesDir)).filter((name) => name !== SAMPLE).sort();
    for (const name of [...samples, SAMPLE]) {
      const button = await sampleButton(page, name);
      const { firstMs, fullMs } = await timeSampleClick(page, button, name);
      note(`timing: ${name}: click → first preview ${Math.round(firstMs)} ms, click → full pass (${FULL_PREVIEW_PARTICLES} particles) ${Math.round(fullMs)} ms`);
    }

    const report = (label: string, sample: PlaybackSample): void => {
      note(
        `timing: ${label}: ${(sample.ticks / sample.seconds).toFixed(1)} page frames/s (${sample.missed} missed, the longest gap ${sample.longestGapMs.toFixed(1)} ms), ${sample.frames} export frames shown in ${sample.ticks} ticks, a frame's drawing ${median(sample.drawMs).toFixed(1)} ms median (max ${Math.max(...sample.drawMs.filter(Number.isFinite)).toFixed(1)}), its busiest tick ${median(sample.tickMs).toFixed(1)} ms median (max ${Math.max(...sample.tickMs.filter(Number.isFinite)).toFixed(1)}), ${Math.min(...sample.particles)}–${Math.max(...sample.particles)} particles drawn`,
      );
    };
    await page.getByTestId('timeline-play').click();
    report(`playing ${FULL_PREVIEW_PARTICLES}`, await samplePlayback(page, 3));
    await page.getByTestId('timeline-play').click();

    // The export's 200 000 particles, previewed as asked, then played.
    const dialog = await openExportDialog(page);
    await page.getByTestId('export-particles').fill('200000');
    const ticked = performance.now();
    await page.getByTestId('export-preview-particles').check();
    await waitForAttribute(canvas, 'data-particles', '200000', SLOW_JOB_MS, 'the preview with the export\'s 200 000 particles');
    note(`timing: "Preview with these particles" → 200 000 drawn ${Math.round(performance.now() - ticked)} ms`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    await page.getByTestId('timeline-play').click();
    const played = await samplePlayback(page, 4);
    await page.getByTestId('timeline-play').click();
    report('playing 200000', played);
    assert.ok(played.frames > 10 && played.drawMs.some(Number.isFinite), `the preview played and drew frames (${played.frames})`);
    await shot('15-preview-200k-1920x1080');

    // An export of 60 frames a second: a new frame every animation frame, none to draw ahead in.
    const setFps = async (fps: string): Promise<string> => {
      await openExportDialog(page);
      const field = page.getByTestId('export-fps');
      const before = await field.inputValue();
      await field.fill(fps);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      return before;
    };
    const fps = await setFps('60');
    await page.getByTestId('timeline-play').click();
    const at60 = await samplePlayback(page, 4);
    await page.getByTestId('timeline-play').click();
    report('playing 200000 of a 60 fps export', at60);
    assert.ok(at60.frames > at60.ticks / 2, `at 60 fps nearly every animation frame shows a new export frame (${at60.frames} of ${at60.ticks})`);
    await setFps(fps);
    if (size !== null) await page.setViewportSize(size);
  },
};

/** Scrubs to t with the timeline's keys: End, then PageDown (−0.1) down to t. */
async function scrubTo(page: Page, tenths: number): Promise<void> {
  const slider = page.getByTestId('timeline-slider');
  await slider.focus();
  await slider.press('End');
  for (let i = 0; i < 10 - tenths; i++) await slider.press('PageDown');
  await waitForAttribute(page.getByTestId('preview-canvas'), 'data-t', (tenths / 10).toFixed(3), 5000, `the preview at t = ${tenths / 10}`);
}

/** The preview with this swirl, its full pass drawn. */
async function waitForSwirledPreview(page: Page, swirl: string): Promise<void> {
  const canvas = page.getByTestId('preview-canvas');
  await waitForAttribute(canvas, 'data-swirl', swirl, SLOW_JOB_MS, `the preview with swirl ${swirl}`);
  await waitForAttribute(canvas, 'data-particles', FULL_PREVIEW_PARTICLES, SLOW_JOB_MS, `the full preview with swirl ${swirl}`);
  await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: SLOW_JOB_MS, what: `the preview with swirl ${swirl}` });
}

async function setSwirl(page: Page, turns: string, shown: string): Promise<void> {
  const dialog = await openExportDialog(page);
  const more = page.getByTestId('export-more-style');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
  const swirl = dialog.getByRole('slider', { name: 'Swirl', exact: true });
  await swirl.fill(turns);
  await page.getByTestId('export-swirl-value').getByText(shown, { exact: true }).waitFor({ state: 'visible', timeout: 5000 });
  assert.equal(await swirl.getAttribute('aria-valuetext'), shown);
}

async function closeExportDialog(page: Page): Promise<void> {
  await page.getByTestId('export-cancel').click();
  await page.getByRole('dialog', { name: 'Export animation' }).waitFor({ state: 'hidden', timeout: 5000 });
}

/** The export's particle colours, which the preview draws too; the dialog closed again. */
async function setColours(page: Page, mode: string): Promise<void> {
  const dialog = await openExportDialog(page);
  await dialog.getByLabel('Colours').selectOption(mode);
  await closeExportDialog(page);
}

const swirlSlider: Scenario = {
  name: 'Swirl slider',
  fresh: true,
  timeoutMs: 180_000,
  async run({ page, shot, note }) {
    await openSampleAndWait(page);
    const canvas = page.getByTestId('preview-canvas');
    await waitForSwirledPreview(page, '0');
    await scrubTo(page, 10);
    const plainEnd = await readCanvas(canvas);
    await scrubTo(page, 3);
    const plainMid = await readCanvas(canvas);
    // Coloured by their angle in the noise, the particles show where the swirl took them: the
    // density (all a luma grid of one-colour dots sees) is the same at every t by design.
    await setColours(page, 'angle');
    await scrubTo(page, 3);
    const plainMidAngle = await readCanvas(canvas);

    await setSwirl(page, '1', '1 turn');
    await waitForSwirledPreview(page, '1');
    await shot('10-swirl-dialog');
    await closeExportDialog(page);
    await scrubTo(page, 3);
    const swirledMidAngle = await readCanvas(canvas);
    await shot('10-swirl-angle-t0.3');
    await setColours(page, 'ink');
    await scrubTo(page, 3);
    const swirledMid = await readCanvas(canvas);
    await scrubTo(page, 10);
    const swirledEnd = await readCanvas(canvas);

    // Back to no swirl: the same render as the first, so its difference is the noise of a re-render.
    await setSwirl(page, '0', 'Off');
    await waitForSwirledPreview(page, '0');
    await closeExportDialog(page);
    await scrubTo(page, 3);
    const againMid = await readCanvas(canvas);

    const noise = gridDifference(plainMid, againMid);
    const mid = gridDifference(plainMid, swirledMid);
    const midAngle = gridDifference(plainMidAngle, swirledMidAngle);
    const end = gridDifference(plainEnd, swirledEnd);
    note(
      `luma grid difference (of 255) at t = 0.3, swirl 1 vs 0: ${midAngle.toFixed(2)} coloured by angle, ${mid.toFixed(2)} in the picture's colours (ink); ` +
        `re-render without swirl: ${noise.toFixed(2)}; t = 1, swirl 1 vs 0: ${end.toFixed(2)}`,
    );
    // Measured: 2.93 by angle, 1.94 in ink at t = 0.3; 1.69 at t = 1, where swirled particles land
    // on other dots of the same picture; 0.00 for a re-render (the same seed draws the same paths).
    assert.ok(noise < 0.05, `a re-render without swirl is the same picture (difference ${noise.toFixed(3)})`);
    assert.ok(mid > 1.5, `the swirled frame at t = 0.3 differs from the plain one (difference ${mid.toFixed(2)})`);
    assert.ok(midAngle > 2.5, `the noise's colour wheel has turned at t = 0.3 (difference ${midAngle.toFixed(2)})`);
    assert.ok(end < 2.1, `at t = 1 both show the picture (difference ${end.toFixed(2)})`);
  },
};

/** The sample the morph scenario flows into: a shape far from the mark's drop. */
const MORPH_TARGET = 'star.jpg';
const MASK_GRID = 24;

/**
 * Where an RGBA picture differs from its background (its first pixel), cropped to that ink's
 * bounding box and sampled on a MASK_GRID² grid: shapes compare whatever the framing and margin.
 */
function inkMask(data: Uint8Array | Buffer, width: number, height: number, channels: number): Uint8Array {
  const bg = [data[0]!, data[1]!, data[2]!];
  const ink = (x: number, y: number): boolean => {
    const i = (y * width + x) * channels;
    return Math.max(Math.abs(data[i]! - bg[0]!), Math.abs(data[i + 1]! - bg[1]!), Math.abs(data[i + 2]! - bg[2]!)) > 60;
  };
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!ink(x, y)) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  const mask = new Uint8Array(MASK_GRID * MASK_GRID);
  if (x1 < 0) return mask;
  // A cell is ink when over a third of its pixels are: stray dots of a particle picture do not fill it.
  for (let gy = 0; gy < MASK_GRID; gy++) {
    for (let gx = 0; gx < MASK_GRID; gx++) {
      const [ax, bx] = [x0 + Math.floor(((x1 - x0 + 1) * gx) / MASK_GRID), x0 + Math.floor(((x1 - x0 + 1) * (gx + 1)) / MASK_GRID)];
      const [ay, by] = [y0 + Math.floor(((y1 - y0 + 1) * gy) / MASK_GRID), y0 + Math.floor(((y1 - y0 + 1) * (gy + 1)) / MASK_GRID)];
      let inked = 0;
      let all = 0;
      for (let y = ay; y < Math.max(by, ay + 1); y++) for (let x = ax; x < Math.max(bx, ax + 1); x++, all++) if (ink(x, y)) inked++;
      mask[gy * MASK_GRID + gx] = inked * 3 > all ? 1 : 0;
    }
  }
  return mask;
}

function maskIou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return either === 0 ? 0 : both / either;
}

async function fileMask(file: string, page?: number): Promise<Uint8Array> {
  const { data, info } = await sharp(file, page === undefined ? {} : { page }).flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
  return inkMask(data, info.width, info.height, info.channels);
}

/** A fresh app with the mark open, its export dialog set to a 1 s GIF played once with no way back, and its Morph into fold open. */
async function morphDialog(page: Page): Promise<Locator> {
  await openSampleAndWait(page);
  const dialog = await openExportDialog(page);
  await fillGifBasics(page, dialog, 1);
  await page.getByTestId('export-particles').fill(String(EXPORT_PARTICLES));
  await dialog.getByLabel('Flow back to the start').uncheck();
  await page.getByTestId('export-plays').selectOption('once');
  await page.getByTestId('export-morph').locator('summary').click();
  return dialog;
}

/**
 * Exports the dialog's sequence as `name`.gif in a folder of its own, once the estimate of this
 * very sequence is on screen (not one from before a picture was added), whose frame count the
 * dialog then states. Shoots `shotName` before the export starts.
 */
async function exportSequenceGif(page: Page, dialog: Locator, exportDir: string, name: string, shotName: string, shot: (name: string) => Promise<unknown>): Promise<{ file: string; stated: number; summary: string }> {
  await waitForAttribute(dialog.getByTestId('export-estimate'), 'data-current', 'true', SLOW_JOB_MS, `the ${name}'s size estimate`);
  const summary = (await dialog.locator('.summary').innerText()).trim().replace(/\s+/g, ' ');
  const stated = Number(/(\d+) frames/.exec(summary)?.[1]);
  assert.ok(stated > 0, `the dialog states the ${name}'s frames: "${summary}"`);
  const file = path.join(await exportFolder(exportDir, name), `${name}.gif`);
  await page.getByTestId('export-path').fill(file);
  await shot(shotName);
  await page.getByTestId('export-start').click();
  await waitForState(page, 'export-status', 'done', { timeoutMs: SLOW_JOB_MS, failOn: ['failed', 'cancelled', 'confirm'], what: `the ${name} GIF export` });
  return { file, stated, summary };
}

const morphInto: Scenario = {
  name: 'Morph into: a second picture added in the export dialog; the GIF opens on the first picture and ends on the second',
  fresh: true,
  timeoutMs: 180_000,
  async run({ page, exportDir, shot, note }) {
    const dialog = await morphDialog(page);
    await page.getByTestId('morph-add-sample').selectOption(MORPH_TARGET);
    await page.getByTestId('morph-list').getByText(MORPH_TARGET).waitFor({ state: 'visible', timeout: ENGINE_START_MS });
    assert.equal(await page.getByTestId('morph-count').innerText(), '1');
    assert.equal(await page.getByTestId('preview-canvas').getAttribute('data-state'), 'ready', 'the picture on screen stays');
    assert.match(await dialog.locator('header').innerText(), new RegExp(`${SAMPLE.replace('.', '\\.')}, then ${MORPH_TARGET.replace('.', '\\.')}`));
    await page.getByTestId('morph-start').selectOption('picture');
    assert.equal(await page.getByTestId('morph-style').inputValue(), 'direct', 'direct is the default style');

    // The frame count of a sequence comes with the engine's estimate.
    const { file, stated, summary } = await exportSequenceGif(page, dialog, exportDir, 'morph', '11-morph-dialog', shot);
    note(`dialog: "${summary}"`);
    await shot('11-morph-done');

    const meta = await sharp(file, { animated: true }).metadata();
    const pages = meta.pages ?? 1;
    const played = await gifFrames(file);
    const [mark, star] = await Promise.all([fileMask(path.join(samplesDir, SAMPLE)), fileMask(path.join(samplesDir, MORPH_TARGET))]);
    const [first, last] = await Promise.all([fileMask(file, 0), fileMask(file, pages - 1)]);
    const figures = {
      firstMark: maskIou(first, mark),
      firstStar: maskIou(first, star),
      lastStar: maskIou(last, star),
      lastMark: maskIou(last, mark),
      marks: maskIou(mark, star),
    };
    note(
      `${file}: ${pages} pages, ${played} frames played (dialog said ${stated}); ink IoU on a ${MASK_GRID}² grid: first page vs ${SAMPLE} ${figures.firstMark.toFixed(3)}, vs ${MORPH_TARGET} ${figures.firstStar.toFixed(3)}; ` +
        `last page vs ${MORPH_TARGET} ${figures.lastStar.toFixed(3)}, vs ${SAMPLE} ${figures.lastMark.toFixed(3)}; the two samples ${figures.marks.toFixed(3)}`,
    );
    // Measured: first page 0.861 vs the mark, last 0.896 vs the star; across 0.33-0.36.
    assert.equal(played, stated, 'the GIF plays the frames the dialog said');
    assert.ok(figures.firstMark > 0.8, `the first page is ${SAMPLE} (IoU ${figures.firstMark.toFixed(3)})`);
    assert.ok(figures.lastStar > 0.83, `the last page is ${MORPH_TARGET} (IoU ${figures.lastStar.toFixed(3)})`);
    assert.ok(figures.firstStar < figures.firstMark - 0.2 && figures.lastMark < figures.lastStar - 0.2, 'each end is its own picture, not the other');

    await page.getByRole('button', { name: `Remove ${MORPH_TARGET}` }).click();
    assert.equal(await page.getByTestId('morph-list').count(), 0, 'removed, the list is gone');
    assert.doesNotMatch(await dialog.locator('header').innerText(), /then/);
  },
};

const SEQUENCE_THIRD = 'spiral.webp';

const sequenceFromNoise: Scenario = {
  name: 'a sequence from the noise: two pictures added in the export dialog; the GIF holds each picture in turn',
  fresh: true,
  timeoutMs: 180_000,
  async run({ page, exportDir, shot, note }) {
    const dialog = await morphDialog(page);
    const list = page.getByTestId('morph-list');
    for (const name of [MORPH_TARGET, SEQUENCE_THIRD]) {
      await page.getByTestId('morph-add-sample').selectOption(name);
      await list.getByText(name).waitFor({ state: 'visible', timeout: ENGINE_START_MS });
    }
    assert.equal(await page.getByTestId('morph-count').innerText(), '2');
    assert.equal(await page.getByTestId('morph-start').inputValue(), 'noise', 'a sequence starts from the noise by default');
    const { file, stated } = await exportSequenceGif(page, dialog, exportDir, 'sequence', '12-sequence-dialog', shot);

    const pages = (await sharp(file, { animated: true }).metadata()).pages ?? 1;
    const pictures = [SAMPLE, MORPH_TARGET, SEQUENCE_THIRD];
    const masks = await Promise.all(pictures.map((name) => fileMask(path.join(samplesDir, name))));
    const frames = await Promise.all(Array.from({ length: pages }, (_, i) => fileMask(file, i)));
    // Each picture's best page: the hold on it, which must come in the order the list gave.
    const best = masks.map((mask) => {
      const ious = frames.map((frame) => maskIou(frame, mask));
      const at = ious.indexOf(Math.max(...ious));
      return { at, iou: ious[at]!, others: masks.filter((m) => m !== mask).map((m) => maskIou(frames[at]!, m)) };
    });
    const firstVsPictures = masks.map((mask) => maskIou(frames[0]!, mask));
    note(
      `${file}: ${pages} pages, ${await gifFrames(file)} frames played (dialog said ${stated}); best page per picture (IoU on a ${MASK_GRID}² grid, then against the others): ` +
        best.map((b, i) => `${pictures[i]} page ${b.at} ${b.iou.toFixed(3)} (${b.others.map((o) => o.toFixed(2)).join(', ')})`).join('; ') +
        `; first page vs each ${firstVsPictures.map((v) => v.toFixed(2)).join(', ')}`,
    );
    assert.equal(await gifFrames(file), stated, 'the GIF plays the frames the dialog said');
    // Measured: holds 0.861, 0.896, 0.806 against their pictures, 0.21-0.38 against the others; the first page 0.20-0.46.
    for (const [i, b] of best.entries()) {
      assert.ok(b.iou > 0.75, `a page holds ${pictures[i]} (best IoU ${b.iou.toFixed(3)})`);
      assert.ok(b.others.every((o) => o < b.iou - 0.2), `the page holding ${pictures[i]} is not another picture`);
    }
    assert.ok(best[0]!.at > 0 && best[0]!.at < best[1]!.at && best[1]!.at < best[2]!.at, `the holds come in the list's order: pages ${best.map((b) => b.at).join(', ')}`);
    assert.ok(firstVsPictures.every((v, i) => v < best[i]!.iou - 0.2), 'the first page is the noise, none of the pictures');
  },
};

const projectPopover: Scenario = {
  name: 'the project popover behaves as a dialog: focus goes in, Escape from anywhere and a click outside close it, recent entries are full-size targets',
  fresh: true,
  timeoutMs: 60_000,
  async run({ page, exportDir, shot, note }) {
    await openSampleAndWait(page);
    const isFocused = async (testId: string): Promise<boolean> => (await page.evaluate("document.activeElement?.getAttribute('data-testid')")) === testId;
    await page.getByTestId('project-save').click();
    const save = page.getByRole('dialog', { name: 'Save project' });
    await save.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await isFocused('project-path'), true, 'Save project… puts the focus in its path field');
    await checkAccessible(page, 'with the project dialog open', note, { dark: true });
    const file = path.join(await exportFolder(exportDir, 'project'), 'mark.flowgif');
    await page.getByTestId('project-path').fill(file);
    await page.getByTestId('project-path').press('Enter');
    await save.waitFor({ state: 'detached', timeout: SLOW_JOB_MS });
    await fs.access(file);
    // The title names the saved project; a change marks it unsaved, and Ctrl+S saves it in place, asking nothing.
    await page.waitForFunction("document.title === 'mark.flowgif — FlowGIF'", undefined, { timeout: 5000 });
    assert.equal(await page.getByTestId('project-unsaved').count(), 0, 'just saved: no unsaved marker');
    await page.getByRole('spinbutton', { name: 'Time budget (seconds)' }).fill('95');
    await page.getByTestId('project-unsaved').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await page.title(), '• mark.flowgif — FlowGIF');
    await shot('13-project-unsaved');
    await page.getByTestId('timeline-slider').focus();
    await page.keyboard.press('Control+s');
    await page.getByTestId('project-unsaved').waitFor({ state: 'detached', timeout: SLOW_JOB_MS });
    assert.equal(await save.count(), 0, 'Ctrl+S on a saved project asks for no path');
    assert.equal(await page.getByTestId('replace-prompt').count(), 0, 'nor whether to replace its own file');
    assert.match(await fs.readFile(file, 'utf8'), /"seconds":\s*95\b/, 'the project file has the new budget');
    assert.equal(await page.title(), 'mark.flowgif — FlowGIF');

    await page.getByTestId('project-open').click();
    const open = page.getByRole('dialog', { name: 'Open project' });
    await open.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await isFocused('project-path'), true, 'Open project… puts the focus in its path field');
    const entry = open.getByRole('button', { name: 'mark.flowgif' });
    const box = await entry.boundingBox();
    note(`recent entry ${box?.width.toFixed(0)} × ${box?.height.toFixed(1)} px`);
    assert.ok(box !== null && box.height >= 24, `a recent entry is at least 24 px tall (${box?.height})`);
    await shot('13-project-open');
    // Escape with the focus back on the page, outside the popover.
    await page.getByTestId('timeline-slider').focus();
    await page.keyboard.press('Escape');
    await open.waitFor({ state: 'detached', timeout: 5000 });

    await page.getByTestId('project-open').click();
    await open.waitFor({ state: 'visible', timeout: 5000 });
    await page.getByTestId('preview-canvas').click();
    await open.waitFor({ state: 'detached', timeout: 5000 });
    await page.getByTestId('project-open').click();
    await page.keyboard.press('Escape');
    await open.waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await isFocused('project-open'), true, 'closed from inside, the focus returns to Open project…');

    // A project opened beside the export panel: the panel takes the project's settings, rather
    // than writing its own edited ones back over them.
    const savedFps = String((JSON.parse(await fs.readFile(file, 'utf8')) as { settings: { timeline: { fps: number } } }).settings.timeline.fps);
    await openExportDialog(page);
    await page.getByTestId('export-fps').fill(savedFps === '7' ? '8' : '7');
    await page.getByTestId('project-unsaved').waitFor({ state: 'visible', timeout: 5000 });
    await page.getByTestId('project-open').click();
    await open.waitFor({ state: 'visible', timeout: 5000 });
    await open.getByRole('button', { name: 'mark.flowgif' }).click();
    await open.waitFor({ state: 'detached', timeout: SLOW_JOB_MS });
    await page.getByTestId('project-unsaved').waitFor({ state: 'detached', timeout: SLOW_JOB_MS });
    assert.equal(await page.getByTestId('export-fps').inputValue(), savedFps, "the open panel shows the project's frame rate");
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId('project-unsaved').count(), 0, 'and does not mark the project changed by writing its old form back');
  },
};

/** In order: the first four are one user's journey; the others start over. */
export const scenarios: readonly Scenario[] = [openSample, train, scrub, exportGif, exportTransparentWebm, corruptImage, uploadImage, replaceExport, queuedExport, stopAndKeep, previewTimings, exportStyleOptions, exportFitUnder, exportPreset, textPicture, swirlSlider, morphInto, sequenceFromNoise, projectPopover];
