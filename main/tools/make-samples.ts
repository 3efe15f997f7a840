/**
 * Renders FlowGIF's bundled sample pictures from SVG sources drawn here, so every sample is our
 * own work (no third-party logos) and can be regenerated exactly:
 *
 *   npx tsc -b && node dist/main/tools/make-samples.js [outDir]
 *
 * outDir defaults to resources/samples. Shapes are paths and arithmetic only: system fonts may
 * be missing, and text would render differently from machine to machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { bundledSampleFiles, type BundledSample } from '../engine/image/samples.js';

export interface SampleSpec {
  readonly file: BundledSample;
  readonly width: number;
  readonly height: number;
  readonly svg: string;
  readonly encode: (image: Sharp) => Sharp;
}

const f = (n: number): string => n.toFixed(1);

function svgDocument(width: number, height: number, body: string, background: string | null): string {
  const bg = background === null ? '' : `<rect width="${width}" height="${height}" fill="${background}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bg}${body}</svg>`;
}

/** A droplet crossed by a wave, with a particle flying off: noise flowing into a shape. */
function flowgifMark(): string {
  const body = `
    <defs>
      <linearGradient id="deep" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#1f5c99"/>
        <stop offset="1" stop-color="#0b2545"/>
      </linearGradient>
    </defs>
    <path d="M192 36 C192 36 78 168 78 242 A114 114 0 0 0 306 242 C306 168 192 36 192 36 Z" fill="url(#deep)"/>
    <path d="M56 250 C110 196 150 300 200 250 S290 196 336 250" fill="none" stroke="#ffffff" stroke-width="26" stroke-linecap="round"/>
    <circle cx="304" cy="92" r="34" fill="#e4572e"/>
    <circle cx="344" cy="40" r="14" fill="#e4572e"/>`;
  return svgDocument(384, 384, body, '#ffffff');
}

function heart(): string {
  const body = `<path d="M192 336 C64 252 28 178 56 114 C86 50 164 52 192 116 C220 52 298 50 328 114 C356 178 320 252 192 336 Z" fill="#b0132b"/>`;
  return svgDocument(384, 384, body, '#ffffff');
}

/** Archimedean spiral, three and a half turns, as a thick round-capped polyline. */
function spiral(): string {
  const cx = 192;
  const cy = 192;
  const turns = 3.5;
  const rMin = 10;
  const rMax = 164;
  const steps = 420;
  const points: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    const angle = u * turns * 2 * Math.PI;
    const r = rMin + (rMax - rMin) * u;
    points.push(`${f(cx + r * Math.cos(angle))},${f(cy + r * Math.sin(angle))}`);
  }
  const body = `<polyline points="${points.join(' ')}" fill="none" stroke="#2d1e5f" stroke-width="22" stroke-linecap="round" stroke-linejoin="round"/>`;
  return svgDocument(384, 384, body, '#ffffff');
}

function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${f(cx + r * Math.cos(angle))} ${f(cy + r * Math.sin(angle))}`);
  }
  return `M${points.join(' L')} Z`;
}

/** Wide on purpose: the non-square sample that checks the aspect ratio is kept. */
function stars(): string {
  const body = `
    <path d="${starPath(240, 172, 148, 60)}" fill="#1d2d50"/>
    <path d="${starPath(74, 84, 46, 19)}" fill="#1d2d50"/>
    <path d="${starPath(414, 250, 40, 16)}" fill="#1d2d50"/>`;
  return svgDocument(480, 320, body, '#ffffff');
}

/** Six coloured arcs on a transparent background: alpha compositing and per-pixel colour. */
function ring(): string {
  const cx = 160;
  const cy = 160;
  const outer = 140;
  const inner = 88;
  const colours = ['#d62828', '#f77f00', '#c9a227', '#2a9d8f', '#264653', '#6a4c93'];
  const gap = 0.06;
  const segments = colours.map((colour, i) => {
    const a0 = -Math.PI / 2 + (i * 2 * Math.PI) / colours.length + gap / 2;
    const a1 = -Math.PI / 2 + ((i + 1) * 2 * Math.PI) / colours.length - gap / 2;
    const pt = (r: number, a: number): string => `${f(cx + r * Math.cos(a))} ${f(cy + r * Math.sin(a))}`;
    const d = `M${pt(outer, a0)} A${outer} ${outer} 0 0 1 ${pt(outer, a1)} L${pt(inner, a1)} A${inner} ${inner} 0 0 0 ${pt(inner, a0)} Z`;
    return `<path d="${d}" fill="${colour}"/>`;
  });
  return svgDocument(320, 320, segments.join(''), null);
}

/** One recipe per bundled sample: the compiler refuses a sample in the list without one. */
const recipes: Readonly<Record<BundledSample, Omit<SampleSpec, 'file'>>> = {
  'flowgif-mark.png': { width: 384, height: 384, svg: flowgifMark(), encode: (s) => s.flatten({ background: '#ffffff' }).png({ compressionLevel: 9 }) },
  'heart.png': { width: 384, height: 384, svg: heart(), encode: (s) => s.flatten({ background: '#ffffff' }).png({ compressionLevel: 9 }) },
  'spiral.webp': { width: 384, height: 384, svg: spiral(), encode: (s) => s.flatten({ background: '#ffffff' }).webp({ lossless: true }) },
  'star.jpg': { width: 480, height: 320, svg: stars(), encode: (s) => s.flatten({ background: '#ffffff' }).jpeg({ quality: 90, mozjpeg: true }) },
  'ring-alpha.png': { width: 320, height: 320, svg: ring(), encode: (s) => s.png({ compressionLevel: 9 }) },
};

export const sampleSpecs: readonly SampleSpec[] = bundledSampleFiles.map((file) => ({ file, ...recipes[file] }));

export async function makeSamples(outDir: string): Promise<{ file: string; sizeBytes: number }[]> {
  await mkdir(outDir, { recursive: true });
  const written: { file: string; sizeBytes: number }[] = [];
  for (const spec of sampleSpecs) {
    // Metadata off: files stay byte-identical across runs, so their sha256 is stable.
    const bytes = await spec.encode(sharp(Buffer.from(spec.svg))).toBuffer();
    await writeFile(join(outDir, spec.file), bytes);
    written.push({ file: spec.file, sizeBytes: bytes.length });
  }
  return written;
}

const defaultOutDir = fileURLToPath(new URL('../../../resources/samples/', import.meta.url));

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? defaultOutDir);
  for (const { file, sizeBytes } of await makeSamples(outDir)) {
    console.log(`${join(outDir, file)}  ${(sizeBytes / 1024).toFixed(1)} KB`);
  }
}
