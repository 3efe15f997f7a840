/**
 * Pictures of the kinds users bring that the bundled samples do not cover: thin line art, text
 * (dark on white, white on black, faint grey), a photo, a wide banner, a transparent logo. Tests
 * and benchmarks make them here, so they need no files from outside the repository:
 *
 *   npx tsc -b && node dist/main/tools/fixture-pictures.js [outDir]
 *
 * Text is drawn from strokes defined below, not fonts: fonts differ from machine to machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createRandom } from '../../shared/random.js';

export type TestPictureName =
  | 'line-drawing'
  | 'black-text'
  | 'white-on-black-text'
  | 'faint-text'
  | 'photo'
  | 'banner'
  | 'transparent-logo'
  | 'colour-logo';

export interface TestPicture {
  readonly name: TestPictureName;
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: Buffer;
}

const f = (n: number): string => n.toFixed(1);

/** Letters as polylines on a 4 × 6 grid (x right, y down); each inner list is one stroke. */
const strokeFont: Readonly<Record<string, readonly (readonly [number, number])[][]>> = {
  F: [[[4, 0], [0, 0], [0, 6]], [[0, 3], [3, 3]]],
  L: [[[0, 0], [0, 6], [4, 6]]],
  O: [[[0, 0], [4, 0], [4, 6], [0, 6], [0, 0]]],
  W: [[[0, 0], [1, 6], [2, 2], [3, 6], [4, 0]]],
  G: [[[4, 0], [0, 0], [0, 6], [4, 6], [4, 3], [2, 3]]],
  I: [[[2, 0], [2, 6]], [[1, 0], [3, 0]], [[1, 6], [3, 6]]],
  A: [[[0, 6], [2, 0], [4, 6]], [[1, 3.5], [3, 3.5]]],
  S: [[[4, 0], [0, 0], [0, 3], [4, 3], [4, 6], [0, 6]]],
  N: [[[0, 6], [0, 0], [4, 6], [4, 0]]],
  E: [[[4, 0], [0, 0], [0, 6], [4, 6]], [[0, 3], [3, 3]]],
  T: [[[0, 0], [4, 0]], [[2, 0], [2, 6]]],
};

/** SVG strokes spelling `text`, letters `cell` px wide (6/4 as tall), starting at (x, y). */
function textStrokes(text: string, x: number, y: number, cell: number, stroke: string, width: number): string {
  const unit = cell / 4;
  const advance = cell * 1.5;
  const paths: string[] = [];
  [...text].forEach((letter, i) => {
    for (const line of strokeFont[letter] ?? []) {
      const d = line.map(([u, v], k) => `${k === 0 ? 'M' : 'L'}${f(x + i * advance + u * unit)} ${f(y + v * unit)}`).join(' ');
      paths.push(`<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"/>`);
    }
  });
  return paths.join('');
}

function svg(width: number, height: number, body: string, background: string | null): Buffer {
  const bg = background === null ? '' : `<rect width="${width}" height="${height}" fill="${background}"/>`;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bg}${body}</svg>`);
}

/** A house, a sun and a path in 1–2 px lines: most pixels with ink are anti-aliased edges. */
function lineDrawing(): Buffer {
  const body = `
    <g fill="none" stroke="#222222" stroke-linejoin="round" stroke-linecap="round">
      <path d="M90 250 L90 150 L170 90 L250 150 L250 250 Z" stroke-width="2"/>
      <path d="M150 250 L150 190 L190 190 L190 250" stroke-width="1.5"/>
      <path d="M105 165 L135 165 L135 195 L105 195 Z M205 165 L235 165 L235 195 L205 195 Z" stroke-width="1"/>
      <circle cx="300" cy="70" r="28" stroke-width="1.5"/>
      <path d="M20 290 C120 270 220 300 360 280" stroke-width="1"/>
      <path d="M300 30 L300 20 M340 70 L350 70 M260 70 L250 70 M300 110 L300 120" stroke-width="1"/>
    </g>`;
  return svg(384, 320, body, '#ffffff');
}

function text(stroke: string, background: string, width: number): Buffer {
  // 3:1 overall: four letters 48 px wide with 24 px gaps in a 360 × 120 picture.
  return svg(360, 120, textStrokes('FLOW', 48, 24, 48, stroke, width), background);
}

/**
 * A landscape at dusk: smooth gradients, soft shapes and sensor noise, so every pixel has a
 * different colour and mass everywhere, as in a real photo.
 */
async function photo(): Promise<Buffer> {
  const width = 480;
  const height = 320;
  const body = `
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#1b2a6b"/><stop offset="0.6" stop-color="#e07a5f"/><stop offset="1" stop-color="#f2cc8f"/>
      </linearGradient>
      <radialGradient id="sun"><stop offset="0" stop-color="#fff3b0"/><stop offset="1" stop-color="#f4a261" stop-opacity="0"/></radialGradient>
    </defs>
    <rect width="${width}" height="${height}" fill="url(#sky)"/>
    <circle cx="330" cy="170" r="70" fill="url(#sun)"/>
    <path d="M0 230 C80 180 160 200 240 220 S400 170 480 210 L480 320 L0 320 Z" fill="#3d405b"/>
    <path d="M0 270 C120 240 260 280 480 250 L480 320 L0 320 Z" fill="#2a6f4e"/>
    <path d="M60 270 L75 210 L90 270 Z M100 275 L118 200 L136 275 Z" fill="#1d3b2a"/>`;
  const base = await sharp(svg(width, height, body, null)).removeAlpha().raw().toBuffer();
  const random = createRandom(7);
  for (let i = 0; i < base.length; i++) base[i] = Math.max(0, Math.min(255, Math.round(base[i]! + 6 * random.normal())));
  return sharp(base, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
}

/** 5:1, several colours: the kind of header image that gets its noise cut off. */
function banner(): Buffer {
  const body = `
    <circle cx="60" cy="60" r="40" fill="#e63946"/>
    <circle cx="100" cy="60" r="40" fill="#457b9d" fill-opacity="0.85"/>
    ${textStrokes('FLOWGIF', 170, 30, 40, '#1d3557', 10)}`;
  return svg(600, 120, body, '#ffffff');
}

/** A dark anti-aliased mark on transparency, as logos are exported from design tools. */
function transparentLogo(): Buffer {
  const body = `
    <circle cx="128" cy="128" r="96" fill="none" stroke="#1d2d50" stroke-width="20"/>
    <path d="M84 170 L128 70 L172 170 Z" fill="#1d2d50"/>`;
  return svg(256, 256, body, null);
}

/** Four saturated colours, so colour variety is easy to measure. */
function colourLogo(): Buffer {
  const colours = ['#d62828', '#2a9d8f', '#f4a261', '#6a4c93'];
  const squares = colours.map((c, i) => `<rect x="${40 + (i % 2) * 130}" y="${40 + Math.floor(i / 2) * 130}" width="110" height="110" rx="18" fill="${c}"/>`);
  return svg(320, 320, squares.join(''), '#ffffff');
}

export async function makeTestPicture(name: TestPictureName): Promise<TestPicture> {
  const png = (svgBytes: Buffer): Promise<Buffer> => sharp(svgBytes).png().toBuffer();
  const made = async (): Promise<{ bytes: Buffer; extension: string }> => {
    switch (name) {
      case 'line-drawing':
        return { bytes: await png(lineDrawing()), extension: 'png' };
      case 'black-text':
        return { bytes: await png(text('#111111', '#ffffff', 9)), extension: 'png' };
      case 'white-on-black-text':
        return { bytes: await png(text('#ffffff', '#000000', 9)), extension: 'png' };
      case 'faint-text':
        return { bytes: await png(text('#d4d4d4', '#f6f6f6', 9)), extension: 'png' };
      case 'photo':
        return { bytes: await photo(), extension: 'jpg' };
      case 'banner':
        return { bytes: await png(banner()), extension: 'png' };
      case 'transparent-logo':
        return { bytes: await png(transparentLogo()), extension: 'png' };
      case 'colour-logo':
        return { bytes: await png(colourLogo()), extension: 'png' };
    }
  };
  const { bytes, extension } = await made();
  const { width, height } = await sharp(bytes).metadata();
  return { name, file: `${name}.${extension}`, width, height, bytes };
}

export const testPictureNames: readonly TestPictureName[] = [
  'line-drawing',
  'black-text',
  'white-on-black-text',
  'faint-text',
  'photo',
  'banner',
  'transparent-logo',
  'colour-logo',
];

/** Writes one picture into a folder (a test's temp folder) and returns its path. */
export async function writeTestPicture(folder: string, name: TestPictureName): Promise<string> {
  const picture = await makeTestPicture(name);
  const path = join(folder, picture.file);
  await writeFile(path, picture.bytes);
  return path;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? 'fixture-pictures');
  await mkdir(outDir, { recursive: true });
  for (const name of testPictureNames) console.log(await writeTestPicture(outDir, name));
}
