import { DEFAULT_BENCH_IMAGE } from './bench-image.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '../engine/train/backend.js';
import { benchEncoders } from './encode.bench.js';
import { benchExactFlow } from './exact-flow.bench.js';
import { benchPreviewThreads, type PreviewThreadsFigure } from './preview-threads.bench.js';
import { benchFfjordNll, benchFfjordStepTime, benchFfjordTimeToNll, type FfjordBudgetFigure } from './ffjord.bench.js';
import { ortFfjordSteps } from '../engine/inference/ort-ffjord-steps.js';
import { ffjordFastPreset, ffjordPreset } from '../engine/train/ffjord-trainer.js';
import { benchRaster } from './raster.bench.js';
import { benchTrajectory } from './render.bench.js';
import { benchTrainedPreview, PREVIEW_PASSES } from './preview.bench.js';
import { benchFirstPicture } from './first-picture.bench.js';
import { benchStepTime, benchTimeToScore } from './train.bench.js';
import { ortFlowMatchingSteps } from '../engine/inference/ort-fm-steps.js';
import { defaultThreads } from '../engine/render/threads.js';
import { listSamples } from '../service/samples-list.js';

/**
 * `npm run bench`: every speed and quality figure of BENCHMARKS.md, measured in one run on this
 * machine, written with the command that produced it. Flags: --quick (short budgets, to check
 * the runner itself), --only WORDS (comma-separated; sections whose titles contain one), --image PATH (the reference picture; default FFJORD's octocat from
 * ../shared/samples when present, else a bundled sample), --out FILE.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const valueOf = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const octocat = path.resolve(root, '../shared/samples/github.png');
const image = valueOf('--image') ?? (existsSync(octocat) ? octocat : DEFAULT_BENCH_IMAGE);
const outFile = valueOf('--out') ?? path.join(root, 'BENCHMARKS.md');

const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const fmt = (x: number, digits = 1): string => x.toFixed(digits);
const table = (head: string[], rows: Array<Array<string | number>>): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

interface Section {
  readonly title: string;
  readonly run: () => Promise<string>;
}

/** Wall time of a whole CLI command, as a user would meet it (process start included). */
async function timeCli(cliArgs: string[]): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/main/cli/index.js'), ...cliArgs], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`flowgif ${cliArgs.join(' ')} exited ${code}`))));
  });
  return { seconds: (performance.now() - started) / 1000, stdout };
}

/**
 * Wall time and peak memory (RSS high-water of the CLI or of its encoder child, whichever is
 * larger: GNU time's %M) of a whole CLI command, with extra environment (FLOWGIF_THREADS).
 */
async function timeCliPeak(cliArgs: string[], env: Record<string, string>): Promise<{ seconds: number; peakMB: number }> {
  const gnuTime = '/usr/bin/time';
  if (!existsSync(gnuTime)) throw new Error('peak memory needs GNU time at /usr/bin/time');
  return new Promise((resolve, reject) => {
    const child = spawn(gnuTime, ['-f', 'FLOWGIF_TIME %e %M', process.execPath, path.join(root, 'dist/main/cli/index.js'), ...cliArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /FLOWGIF_TIME ([\d.]+) (\d+)/.exec(err);
      if (code !== 0 || m === null) reject(new Error(`flowgif ${cliArgs.join(' ')} exited ${code}: ${err.slice(-400)}`));
      else resolve({ seconds: Number(m[1]), peakMB: Number(m[2]) / 1024 });
    });
  });
}

const rel = (p: string): string => path.relative(root, p) || p;

const sections: Section[] = [
  {
    title: 'Exact flow (instant preview, no training)',
    async run() {
      const f = await benchExactFlow({ imagePath: image, n: 20_000 });
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
      const cli = await timeCli(['sample', '--exact', image, '--n', '20000', '-o', path.join(dir, 's.csv')]);
      await fs.rm(dir, { recursive: true });
      return [
        table(
          ['image', 'n', 'score', 'TV', 'TV true', 'TV blob', 'load ms', 'precompute ms', 'sample ms', 'whole `sample --exact` command s'],
          [[rel(f.image), f.n, fmt(f.score, 4), fmt(f.tv, 4), fmt(f.tvTrue, 4), fmt(f.tvBlob, 4), fmt(f.loadMs, 0), fmt(f.precomputeMs, 0), fmt(f.sampleMs, 0), fmt(cli.seconds, 2)]],
        ),
        `Solver: ${f.method}, ${f.steps ?? 'adaptive'} steps, time warp ${f.warp}.`,
      ].join('\n\n');
    },
  },
  {
    title: 'Flow matching: ms per training step by backend and width',
    async run() {
      const backend = await loadBackend();
      const widths = quick ? [64] : [64, 128, 256];
      const steps = quick ? 5 : 30;
      const rows: Array<Array<string | number>> = [];
      for (const batchSize of quick ? [1024] : [1024, 4096]) {
        const tfjs = await benchStepTime({ imagePath: image, steps, widths, batchSize });
        const ort = await benchStepTime({ imagePath: image, steps, widths, batchSize, stepBackend: ortFlowMatchingSteps() });
        tfjs.forEach((f, i) => rows.push([f.width, f.batchSize, fmt(f.msPerStep), fmt(ort[i]!.msPerStep), fmt(f.msPerStep / ort[i]!.msPerStep, 2)]));
      }
      return [
        `TensorFlow.js on ${backend.name} (${backend.label}), today's path and the fallback, against onnxruntime running the whole step as one graph (CPU provider, two threads). Each step includes drawing its batch (distilled targets from the exact flow) in JS.`,
        table(['width', 'batch', `tfjs-${backend.name} ms / step`, 'onnxruntime ms / step', '× faster on onnxruntime'], rows),
      ].join('\n\n');
    },
  },
  {
    title: 'Flow matching (`fast` preset): score after a time budget, by backend',
    async run() {
      const budgets = quick ? [10] : [15, 30, 60, 120];
      const backend = await loadBackend();
      const tfjs = await benchTimeToScore({ imagePath: image, budgets });
      const ort = await benchTimeToScore({ imagePath: image, budgets, training: { stepBackend: ortFlowMatchingSteps() } });
      return [
        `As \`train --method fm --seconds S\` runs (noise shaped to the picture, seed 1), one independent run per budget; scored as \`eval\` does, sampled on onnxruntime.`,
        table(
          ['budget s', `tfjs-${backend.name} steps`, `tfjs-${backend.name} score`, 'onnxruntime steps', 'onnxruntime score', 'steps ×', 'sampling 20 000 points s'],
          tfjs.map((f, i) => {
            const o = ort[i]!;
            return [f.seconds, f.steps, fmt(f.score, 4), o.steps, fmt(o.score, 4), fmt(o.steps / f.steps, 2), fmt(o.sampleSeconds, 2)];
          }),
        ),
      ].join('\n\n');
    },
  },
  {
    title: 'FFJORD: ms per training step by backend and width',
    async run() {
      const backend = await loadBackend();
      const rows: Array<Array<string | number>> = [];
      for (const width of quick ? [64] : [64, 128]) {
        for (const batchSize of quick ? [250] : [250, 1000]) {
          const widths = [2, width, width, width, 2];
          const steps = quick ? 3 : 20;
          const tfjs = await benchFfjordStepTime({ imagePath: image, steps, batchSize, widths });
          const ort = await benchFfjordStepTime({ imagePath: image, steps, batchSize, widths, stepBackend: ortFfjordSteps() });
          const adjoint = await benchFfjordStepTime({ imagePath: image, steps, batchSize, widths, stepBackend: ortFfjordSteps({ gradients: 'adjoint' }) });
          rows.push([width, batchSize, fmt(tfjs.nfe, 1), fmt(tfjs.msPerStep, 0), fmt(ort.msPerStep, 0), fmt(adjoint.msPerStep, 0), fmt(tfjs.msPerStep / ort.msPerStep, 2)]);
        }
      }
      return [
        `The seed's settings (tolerance 1e-5) from the first weights, three hidden layers of the width: TensorFlow.js on ${backend.name} (${backend.label}), the path before onnxruntime and the fallback, against onnxruntime (the right-hand side and its vector-Jacobian product as two graphs, one thread; our dopri5, and the gradient by backpropagation through its stages, the default, or by the adjoint method). The forward solves take the same steps.`,
        table(['width', 'batch', 'NFE / solve', `tfjs-${backend.name} ms / step`, 'onnxruntime ms / step', 'onnxruntime, adjoint, ms / step', '× faster on onnxruntime'], rows),
      ].join('\n\n');
    },
  },
  {
    title: "FFJORD (the seed's preset, `--method ffjord-seed`): held-out NLL by step",
    async run() {
      const nll = await benchFfjordNll({ imagePath: image, steps: quick ? 20 : 500, evalEvery: quick ? 10 : 100, training: { stepBackend: ortFfjordSteps() } });
      return [
        'On onnxruntime, as `train --method ffjord-seed` runs here; held-out NLL of 10 000 points at tolerance 1e-5.',
        table(['step', 'seconds', 'held-out NLL (nats)', 'NFE'], nll.map((f) => [f.step, fmt(f.seconds, 0), fmt(f.nll, 3), f.nfe])),
        'Reference: FFJORD’s own train_img2d.py reaches 3.436 nats at step 300 on github.png on this kind of machine.',
      ].join('\n\n');
    },
  },
  {
    title: 'FFJORD presets: held-out NLL after a time budget, by backend',
    async run() {
      const budgets = quick ? [5] : [20, 60, 300];
      const backend = await loadBackend();
      const runs = [
        { label: `seed preset, tfjs-${backend.name}`, preset: ffjordPreset, stepBackend: undefined },
        { label: 'seed preset, onnxruntime', preset: ffjordPreset, stepBackend: ortFfjordSteps() },
        { label: `"FFJORD, fast", tfjs-${backend.name}`, preset: ffjordFastPreset, stepBackend: undefined },
        { label: '"FFJORD, fast", onnxruntime', preset: ffjordFastPreset, stepBackend: ortFfjordSteps() },
        { label: '"FFJORD, fast", onnxruntime, adjoint', preset: ffjordFastPreset, stepBackend: ortFfjordSteps({ gradients: 'adjoint' }) },
        { label: '"FFJORD, fast" with penalties 0.003, onnxruntime', preset: { ...ffjordFastPreset, penalties: { kinetic: 0.003, frobenius: 0.003 } }, stepBackend: ortFfjordSteps() },
      ];
      const figures: FfjordBudgetFigure[][] = [];
      for (const run of runs) figures.push(await benchFfjordTimeToNll({ imagePath: image, budgets, preset: run.preset, stepBackend: run.stepBackend }));
      const baseline = figures[0]!;
      return [
        'As `train --method ffjord-seed|ffjord --seconds S` runs (noise shaped to the picture, seed 1), one independent run per budget; NLL of 5000 held-out points at tolerance 1e-5, as `eval` measures it. The seed preset on TensorFlow.js is the path before onnxruntime and the baseline of the last column: NLL above the floor, as a share of the baseline’s.',
        table(
          ['run', 'budget s', 'steps', 'held-out NLL', 'NFE at the end', 'NLL above the floor ÷ baseline'],
          runs.flatMap((run, r) =>
            figures[r]!.map((f, i) => [run.label, f.seconds, f.steps, fmt(f.nll, 3), f.nfe, fmt((f.nll - f.floor) / (baseline[i]!.nll - baseline[i]!.floor), 2)]),
          ),
        ),
        `Floor (the picture's own mixture on the same points): ${fmt(baseline[0]?.floor ?? NaN, 3)} nats.`,
        'The seed’s own train_img2d.py needs 97 s of training for 3.43 nats on github.png on this kind of machine.',
      ].join('\n\n');
    },
  },
  {
    title: 'Rendering: trajectories (one solve per export) and interpolated frames',
    async run() {
      const figures = [
        ...(await benchTrajectory({ imagePath: image, particles: quick ? [5_000] : [50_000, 200_000], fields: ['exact', 'fm-ort'], log })),
        // TensorFlow.js is the fallback where onnxruntime cannot load: one size shows the ratio.
        ...(quick ? [] : await benchTrajectory({ imagePath: image, particles: [50_000], fields: ['fm-tfjs'], log })),
      ];
      const ortBy = new Map(figures.filter((f) => f.field === 'fm-ort').map((f) => [f.particles, f.seconds]));
      return table(
        ['field', 'particles', 'NFE', 'trajectory s', 'MB held', 'ms / interpolated frame', '× fm-ort time'],
        figures.map((f) => [f.field, f.particles, f.nfe, fmt(f.seconds, 2), fmt(f.bytes / 1e6, 1), fmt(f.msPerFrame, 2), ortBy.has(f.particles) ? fmt(f.seconds / ortBy.get(f.particles)!, 2) : '—']),
      );
    },
  },
  {
    title: "The app's preview in the engine: one thread against the kept solver threads",
    async run() {
      const threads = defaultThreads();
      const dir = path.join(root, 'resources/samples');
      const pictures = (await listSamples(dir)).map((s) => path.join(dir, s.name));
      const figures = await benchPreviewThreads({ pictures, threads, rounds: quick ? 1 : 5 });
      const one = (f: PreviewThreadsFigure): PreviewThreadsFigure => figures.find((g) => g.sample === f.sample && g.threads === 0)!;
      const sum = (f: PreviewThreadsFigure): number => f.flowMs + f.passMs.reduce((a, b) => a + b, 0);
      return [
        table(
          ['sample', 'threads', 'blur levels ms', ...PREVIEW_PASSES.map((n) => `pass of ${n.toLocaleString('en')} ms`), 'levels + both passes ms', '× one thread'],
          figures.map((f) => [f.sample, f.threads === 0 ? 'this one' : `${f.threads} kept`, fmt(f.flowMs, 0), ...f.passMs.map((ms) => fmt(ms, 0)), fmt(sum(f), 0), fmt(sum(f) / sum(one(f)), 2)]),
        ),
        `Medians of ${quick ? 1 : 5} alternating rounds after a warm one; the same levels and paths either way, bit for bit (trajectory-workers.test.ts, blur-on-threads.test.ts).`,
      ].join('\n\n');
    },
  },
  {
    title: "The first picture in a fresh engine: its exact flow and first preview, cold and after the engine's warm-up",
    async run() {
      const figures = await benchFirstPicture(quick ? 2 : 5);
      const cold = figures[0]!;
      return [
        table(
          ['engine process', 'warm-up ms', 'exact flow ms', 'first preview (6,000) ms', 'flow + preview ms', '× cold'],
          figures.map((f) => [f.warmed ? 'after warmUpEngine' : 'cold', f.warmed ? fmt(f.warmUpMs, 0) : '–', fmt(f.flowMs, 0), fmt(f.previewMs, 0), fmt(f.flowMs + f.previewMs, 0), fmt((f.flowMs + f.previewMs) / (cold.flowMs + cold.previewMs), 2)]),
        ),
        `Picture: \`resources/samples/flowgif-mark.png\` (the e2e suite's first click). Medians of ${cold.runs} processes of each kind, run alternately; the engine's warm-up (main/engine/pipeline/warm-up.ts) runs while a window loads and stops at the first request that is work.`,
      ].join('\n\n');
    },
  },
  {
    title: "Preview of a trained model: from training done to the app's full preview",
    async run() {
      const passes = quick ? [600, 5_000] : PREVIEW_PASSES;
      const figures = await benchTrainedPreview({ imagePath: image, passes });
      return [
        table(
          ['sessions', 'solver per pass', 'session s (all passes)', ...passes.map((n) => `pass of ${n.toLocaleString('en')} s`), 'training done → full preview s', '× rk4 one session'],
          figures.map((f) => [f.sessions, f.solver, fmt(f.sessionSeconds, 2), ...f.passSeconds.map((s) => fmt(s, 2)), fmt(f.totalSeconds, 2), fmt(f.totalSeconds / figures[1]!.totalSeconds, 2)]),
        ),
        'The `fast` network (128 × 3, 64 Fourier features) on onnxruntime, in the engine alone; the e2e suite notes the same span in the app (`node --test --test-concurrency=1 dist/e2e/`).',
      ].join('\n\n');
    },
  },
  {
    title: 'Rendering: rasterising one 512 × 512 frame',
    async run() {
      const figures = benchRaster({ particles: quick ? [5_000] : [50_000, 200_000], frames: quick ? 5 : 30 });
      return table(['case', 'particles', 'ms / frame (wall)', 'CPU ms / frame'], figures.map((f) => [f.case, f.particles, fmt(f.msPerFrame, 1), fmt(f.cpuMsPerFrame, 1)]));
    },
  },
  {
    title: 'Encoding 512 × 512 frames',
    async run() {
      const figures = await benchEncoders({ frames: quick ? 6 : 30 });
      const gif = figures.find((f) => f.encoder === 'gifski');
      return table(
        ['encoder', 'version', 'frames', 'quality', 'ms / frame', 'size kB', '× gifski time'],
        figures.map((f) => [f.encoder, f.version, f.frames, f.quality, fmt(f.msPerFrame, 0), fmt(f.sizeBytes / 1e3, 0), gif ? fmt(f.msPerFrame / gif.msPerFrame, 2) : '—']),
      );
    },
  },
  {
    title: 'The main job: `make IMAGE -o out.gif` with defaults (512 px, 60 000 particles; the loop: 3 s there, 1 s held, 3 s back at 20 fps)',
    async run() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
      const rows: Array<Array<string | number>> = [];
      for (const ext of ['gif', 'mp4']) {
        const made = await timeCli(['make', image, '-o', path.join(dir, `out.${ext}`), '--json']);
        const result = JSON.parse(made.stdout) as { frames: number; size_bytes: number; width: number; height: number };
        rows.push([ext, result.frames, `${result.width}×${result.height}`, fmt(result.size_bytes / 1e3, 0), fmt(made.seconds, 1)]);
      }
      await fs.rm(dir, { recursive: true });
      return table(['output', 'frames', 'size px', 'file kB', 'whole command s'], rows);
    },
  },
  {
    title: 'The look: what each default costs, `make` on the bundled sample',
    async run() {
      // Each row turns one of the look's defaults back to the earlier behaviour, so its cost is
      // the ratio to the first row, measured minutes apart on the same machine.
      const sample = path.join(root, 'resources/samples/flowgif-mark.png');
      const variants: Array<[string, string[]]> = [
        ['defaults', []],
        ['one pass, no way back (`--once`)', ['--once']],
        ['round noise (`--noise round`)', ['--noise', 'round']],
        ['dark pixels as mass (`--mass dark`)', ['--mass', 'dark']],
        ['colours from the start (`--colour image`)', ['--colour', 'image']],
        ['1080 px, automatic density and working size', ['--size', '1080']],
        ['1080 px, the fixed 60 000 particles of 1.6 px', ['--size', '1080', '--particles', '60000', '--point-size', '1.6']],
      ];
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
      const rows: Array<Array<string | number>> = [];
      let baseline = 0;
      for (const [name, extra] of variants) {
        const made = await timeCli(['make', sample, '-o', path.join(dir, 'out.gif'), '--json', ...extra]);
        const result = JSON.parse(made.stdout) as { frames: number; size_bytes: number; width: number; height: number };
        if (baseline === 0) baseline = made.seconds;
        rows.push([name, result.frames, `${result.width}×${result.height}`, fmt(result.size_bytes / 1e3, 0), fmt(made.seconds, 1), fmt(made.seconds / baseline, 2)]);
      }
      await fs.rm(dir, { recursive: true });
      return [
        table(['make', 'frames', 'size px', 'file kB', 'whole command s', '× defaults'], rows),
        `Picture: \`${rel(sample)}\` (the README's main command).`,
      ].join('\n\n');
    },
  },
  {
    title: 'Morphs and sequences: `morph A B` and `make A B C` with defaults, against `make A`',
    async run() {
      // Each picture is one more solve of the same particles; the frames grow with the moves.
      const sample = (name: string): string => path.join(root, 'resources/samples', name);
      const [a, b, c] = [sample('heart.png'), sample('star.jpg'), sample('flowgif-mark.png')];
      const variants: Array<[string, string[]]> = [
        ['`make heart.png` (baseline)', ['make', a]],
        ['`morph heart.png star.jpg` (direct)', ['morph', a, b]],
        ['`morph heart.png star.jpg --style dissolve`', ['morph', a, b, '--style', 'dissolve']],
        ['`make heart.png star.jpg flowgif-mark.png`', ['make', a, b, c]],
      ];
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
      const rows: Array<Array<string | number>> = [];
      let baseline = 0;
      for (const [name, cliArgs] of variants) {
        const made = await timeCli([...cliArgs, '-o', path.join(dir, 'out.gif'), '--json']);
        const result = JSON.parse(made.stdout) as { frames: number; size_bytes: number };
        if (baseline === 0) baseline = made.seconds;
        rows.push([name, result.frames, fmt(result.size_bytes / 1e3, 0), fmt(made.seconds, 1), fmt(made.seconds / baseline, 2)]);
      }
      await fs.rm(dir, { recursive: true });
      return table(['command (512 px, 60 000 particles, 20 fps)', 'frames', 'file kB', 'whole command s', '× make'], rows);
    },
  },
  {
    title: 'Large export: 1920 × 1080, 60 fps, 5 s (300 frames) of 1 000 000 particles, exact flow',
    async run() {
      // The serial path (FLOWGIF_THREADS=0: solve and draw on the main thread) is the baseline,
      // measured in the same run; the default splits the solve and the drawing over worker threads.
      const sample = path.join(root, 'resources/samples/flowgif-mark.png');
      const particles = quick ? '100000' : '1000000';
      const seconds = quick ? '1' : '5';
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
      const rows: Array<Array<string | number>> = [];
      for (const ext of ['mp4', 'gif']) {
        let baseline: { seconds: number; peakMB: number } | undefined;
        for (const [name, env] of [['serial (FLOWGIF_THREADS=0)', { FLOWGIF_THREADS: '0' }], ['worker threads (default)', {}]] as const) {
          const args = ['render', '--exact', sample, '--canvas', '1920x1080', '--particles', particles, '--fps', '60', '--seconds', seconds, '--once', '--hold-end', '0', '-o', path.join(dir, `out.${ext}`)];
          const run = await timeCliPeak(args, env);
          log(`${ext} ${name}: ${fmt(run.seconds)} s, ${fmt(run.peakMB, 0)} MB`);
          baseline ??= run;
          rows.push([ext, name, fmt(run.seconds, 1), fmt(run.peakMB, 0), fmt(run.seconds / baseline.seconds, 2), fmt(run.peakMB / baseline.peakMB, 2)]);
        }
      }
      await fs.rm(dir, { recursive: true });
      return [
        table(['output', 'path', 'whole command s', 'peak RSS MB', '× serial time', '× serial memory'], rows),
        `Command: \`flowgif render --exact ${rel(sample)} --canvas 1920x1080 --particles ${particles} --fps 60 --seconds ${seconds} --once --hold-end 0 -o out.EXT\`; peak RSS is GNU time's %M (the largest of the CLI and its encoder).`,
      ].join('\n\n');
    },
  },
];

/** `--only a,b`: just the sections whose titles contain one of these words (case-insensitive). */
const only = valueOf('--only')?.toLowerCase().split(',').filter((w) => w !== '');

async function main(): Promise<void> {
  const started = new Date();
  const parts: string[] = [];
  for (const section of sections) {
    if (only !== undefined && !only.some((word) => section.title.toLowerCase().includes(word))) continue;
    log(section.title);
    const t0 = performance.now();
    try {
      parts.push(`## ${section.title}\n\n${await section.run()}\n\n_${fmt((performance.now() - t0) / 1000, 0)} s to measure._`);
    } catch (error) {
      parts.push(`## ${section.title}\n\nNot measured: ${error instanceof Error ? error.message : String(error)}`);
      log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# FlowGIF benchmarks',
    '',
    `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` (\`node dist/main/bench/run-all.js\`) on ${started.toISOString().slice(0, 10)}:`,
    `${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, no GPU.`,
    `Reference picture: \`${rel(image)}\`. Each section's figures come from one run, so ratios compare like with like; a section dated in its footnote was measured again alone (\`--only\`).`,
    'Speed is measured here, never asserted in tests.',
  ].join('\n');
  if (only === undefined) {
    await fs.writeFile(outFile, `${header}\n\n${parts.join('\n\n')}\n`);
  } else {
    // A partial run replaces just its own sections, each dated, and keeps every other figure.
    let text = existsSync(outFile) ? await fs.readFile(outFile, 'utf8') : `${header}\n`;
    for (const part of parts) {
      const title = part.slice(0, part.indexOf('\n'));
      const dated = part.replace(/ s to measure\._$/, ` s to measure, by \`npm run bench -- --only ${only.join(',')}\` on ${started.toISOString().slice(0, 10)}._`);
      const at = text.indexOf(`${title}\n`);
      if (at < 0) text = `${text.trimEnd()}\n\n${dated}\n`;
      else {
        const next = text.indexOf('\n## ', at + title.length);
        text = `${text.slice(0, at)}${dated}${next < 0 ? '\n' : `\n${text.slice(next)}`}`;
      }
    }
    await fs.writeFile(outFile, text);
  }
  log(`wrote ${outFile} in ${fmt((Date.now() - started.getTime()) / 1000, 0)} s`);
}

await main();
