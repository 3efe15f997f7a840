import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { loadFlowFile } from '../engine/project/flow-file.js';
import { runCli } from './cli-runner.test-util.js';

/**
 * Each style flag, on a real render of a bundled sample at 64 px: it changes the frame the way
 * its name says (measured against the default), and a bad value is refused naming the flag.
 */

const sample = bundledSamplePath('flowgif-mark.png');
const SMALL = ['--size', '64', '--particles', '2000'];

interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

let dir: string | undefined;
async function outDir(): Promise<string> {
  dir ??= await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-style-'));
  return dir;
}

let frames = 0;
/** One frame at flow time t of the sample, with `extra` flags, as RGB over white. */
async function frame(t: number, extra: readonly string[] = []): Promise<Pixels> {
  const out = path.join(await outDir(), `frame-${frames++}.png`);
  const run = await runCli(['frame', '--exact', sample, '--t', String(t), '-o', out, ...SMALL, ...extra]);
  assert.equal(run.code, 0, run.stderr);
  return rgb(out);
}

async function rgb(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function meanLuma(p: Pixels): number {
  let sum = 0;
  for (let i = 0; i < p.data.length; i += 3) sum += 0.299 * p.data[i]! + 0.587 * p.data[i + 1]! + 0.114 * p.data[i + 2]!;
  return sum / (p.data.length / 3);
}

/** Mean of max − min channel: 0 for greys, large for saturated colours. */
function meanChroma(p: Pixels): number {
  let sum = 0;
  for (let i = 0; i < p.data.length; i += 3) {
    const c = [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!];
    sum += Math.max(...c) - Math.min(...c);
  }
  return sum / (p.data.length / 3);
}

/** Share of the pixels that are plainly red. */
function redShare(p: Pixels): number {
  let red = 0;
  for (let i = 0; i < p.data.length; i += 3) if (p.data[i]! > 180 && p.data[i + 1]! < 90 && p.data[i + 2]! < 90) red += 1;
  return red / (p.data.length / 3);
}

/** Mean absolute difference between horizontal and vertical neighbours: how sharp the frame is. */
function totalVariation(p: Pixels): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < p.height - 1; y++) {
    for (let x = 0; x < p.width - 1; x++) {
      const i = 3 * (y * p.width + x);
      for (let c = 0; c < 3; c++) {
        sum += Math.abs(p.data[i + c]! - p.data[i + 3 + c]!) + Math.abs(p.data[i + c]! - p.data[i + 3 * p.width + c]!);
        n += 2;
      }
    }
  }
  return sum / n;
}

function meanAbsoluteDifference(a: Pixels, b: Pixels): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

test('--opacity 0.3 draws the ink lighter than the default 0.85', async () => {
  const normal = meanLuma(await frame(1));
  const faint = meanLuma(await frame(1, ['--opacity', '0.3']));
  // Measured: 219 against 202.
  assert.ok(faint - normal > 10, `mean luma ${faint.toFixed(1)} vs ${normal.toFixed(1)}`);
});

test('--colour solid --solid-colour #ff0000 draws red; --solid-colour alone means solid', async () => {
  const normal = redShare(await frame(1));
  const red = redShare(await frame(1, ['--colour', 'solid', '--solid-colour', '#ff0000']));
  const alone = redShare(await frame(1, ['--solid-color', '#ff0000']));
  // Measured: 27 % of the frame red, against 0.2 % in the mark's own ink.
  assert.ok(normal < 0.01, `red share by default ${normal}`);
  assert.ok(red > 0.15, `red share ${red}`);
  assert.equal(alone, red);
});

test('--blend additive adds light up: on black, the same dots glow brighter than painted over', async () => {
  const painted = meanLuma(await frame(1, ['--background', 'black', '--colour', 'solid', '--solid-colour', '#606060']));
  const glow = meanLuma(await frame(1, ['--background', 'black', '--colour', 'solid', '--solid-colour', '#606060', '--blend', 'additive']));
  // Measured: 61 against 26.
  assert.ok(glow - painted > 20, `mean luma ${glow.toFixed(1)} vs ${painted.toFixed(1)}`);
});

test('--colour-map viridis colours the density map; the default ink map is grey', async () => {
  const density = ['--mode', 'density', '--density-look', 'map'];
  const ink = meanChroma(await frame(1, density));
  const viridis = meanChroma(await frame(1, [...density, '--colour-map', 'viridis']));
  // Measured: 58 against 0.
  assert.ok(ink < 2 && viridis > 40, `chroma ${viridis.toFixed(1)} vs ${ink.toFixed(1)}`);
});

test('--density-smoothing 6 blurs the density frame that 0 leaves sharp', async () => {
  const sharpFrame = totalVariation(await frame(1, ['--mode', 'density', '--density-smoothing', '0']));
  const smooth = totalVariation(await frame(1, ['--mode', 'density', '--density-smoothing', '6']));
  // Measured: 4.0 against 11.8.
  assert.ok(smooth < sharpFrame / 2, `${smooth.toFixed(2)} vs ${sharpFrame.toFixed(2)}`);
});

test('--seed 2 draws other particles; the same seed draws the same frame', async () => {
  const first = await frame(0.3);
  const again = await frame(0.3);
  const other = await frame(0.3, ['--seed', '2']);
  assert.ok(first.data.equals(again.data), 'a render is deterministic');
  assert.ok(meanAbsoluteDifference(first, other) > 5, `seed 2 vs 0: ${meanAbsoluteDifference(first, other)}`);
});

/** The PNG frames of a render to a folder. */
async function renderFrames(name: string, extra: readonly string[]): Promise<Pixels[]> {
  const folder = path.join(await outDir(), name) + path.sep;
  const run = await runCli(['render', '--exact', sample, '-o', folder, '--fps', '5', '--seconds', '1', '--once', '--hold-end', '0', ...SMALL, ...extra]);
  assert.equal(run.code, 0, run.stderr);
  const files = (await fs.readdir(folder)).filter((f) => f.endsWith('.png')).sort();
  return Promise.all(files.map((f) => rgb(path.join(folder, f))));
}

test('--easing linear is behind the default ease-in-out three quarters of the way in', async () => {
  const eased = await renderFrames('eased', []);
  const linear = await renderFrames('linear', ['--easing', 'linear']);
  assert.equal(linear.length, 5);
  // Frame 3 of 5 is u = 0.75: flow time 0.75 linear, 0.94 eased in and out.
  const easedGap = meanAbsoluteDifference(eased[3]!, eased.at(-1)!);
  const linearGap = meanAbsoluteDifference(linear[3]!, linear.at(-1)!);
  // Measured: 23.7 against 10.0.
  assert.ok(linearGap > easedGap * 1.8, `distance to the picture: linear ${linearGap.toFixed(2)} vs eased ${easedGap.toFixed(2)}`);
});

test('--reverse starts on the picture and --hold-start holds the first frame', async () => {
  const forward = await renderFrames('forward', []);
  const reversed = await renderFrames('reversed', ['--reverse', '--hold-start', '0.4']);
  assert.equal(reversed.length, 2 + 5);
  assert.ok(reversed[0]!.data.equals(reversed[1]!.data) && reversed[1]!.data.equals(reversed[2]!.data), 'two held frames, then the first');
  assert.ok(reversed[0]!.data.equals(forward.at(-1)!.data), 'reverse opens on the picture');
  assert.ok(reversed.at(-1)!.data.equals(forward[0]!.data), 'and ends on the noise');
});

test('make --train 1 --method ffjord trains FFJORD and keeps it in the .flow', async () => {
  const gif = path.join(await outDir(), 'ffjord.gif');
  const made = await runCli(['make', sample, '-o', gif, '--train', '1', '--method', 'ffjord', ...SMALL, '--fps', '5', '--seconds', '1', '--once', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const result = JSON.parse(made.stdout) as { flow: string; model: string };
  assert.equal(result.flow, 'ffjord');
  assert.equal((await loadFlowFile(result.model)).model.method, 'ffjord');
});

test('a bad style value is refused, naming the flag and what it accepts', async () => {
  const out = path.join(await outDir(), 'bad.png');
  const cases: Array<[string[], RegExp]> = [
    [['--blend', 'glow'], /^flowgif: --blend must be one of alpha, additive, not 'glow'\./],
    [['--opacity', '1.5'], /^flowgif: --opacity must be at most 1, not 1\.5\./],
    [['--colour-map', 'rainbow'], /^flowgif: --colour-map must be one of magma, inferno, viridis, ink, grey, not 'rainbow'\./],
    [['--color-map', 'rainbow'], /^flowgif: --color-map must be one of/],
    [['--solid-colour', 'red'], /^flowgif: --solid-colour must be a colour like #ff0000 or #ff000080, not 'red'\./],
    [['--colour', 'ink', '--solid-colour', '#ff0000'], /^flowgif: --solid-colour is the colour of --colour solid; it cannot go with --colour ink\./],
    [['--density-smoothing', '65'], /^flowgif: --density-smoothing must be at most 64, not 65\./],
    [['--point-size', '0.05'], /^flowgif: --point-size must be at least 0\.1, not 0\.05\./],
    [['--easing', 'bouncy'], /^flowgif: --easing must be one of linear, ease-in-out, ease-in, ease-out, smoothstep, not 'bouncy'\./],
    [['--mode', 'lines'], /^flowgif: --mode must be one of points, density, not 'lines'\./],
    [['--seed', '4294967296'], /^flowgif: --seed must be at most 4294967295, not 4294967296\./],
  ];
  for (const [extra, pattern] of cases) {
    const run = await runCli(['frame', '--exact', sample, '--t', '1', '-o', out, ...extra]);
    assert.equal(run.code, 2, `${extra.join(' ')} → ${run.code}\n${run.stderr}`);
    assert.match(run.stderr.trim(), pattern);
  }
  for (const [extra, pattern] of [
    [['--train', '1', '--method', 'sgd'], /^flowgif: --method must be one of fm, ffjord, ffjord-seed, not 'sgd'\./],
    [['--method', 'ffjord'], /^flowgif: --method chooses how --train SECONDS trains; give --train too\./],
  ] as Array<[string[], RegExp]>) {
    const run = await runCli(['make', sample, '-o', path.join(await outDir(), 'bad.gif'), ...extra]);
    assert.equal(run.code, 2, `${extra.join(' ')} → ${run.code}\n${run.stderr}`);
    assert.match(run.stderr.trim(), pattern);
  }
});

test.after(async () => {
  if (dir !== undefined) await fs.rm(dir, { recursive: true });
});
