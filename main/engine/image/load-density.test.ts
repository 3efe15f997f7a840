import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { FlowGifError, serializeError, type ErrorCode } from '../../../shared/errors.js';
import { execFileSync } from 'node:child_process';
import type { JobContext, Progress } from '../../../shared/job.js';
import type { ImageDensity } from './density.js';
import { densityFromBytes, loadDensity } from './load-density.js';
import { imageToModel, modelBounds, modelToImage, pixelCentreToModel, reductionFactor } from './mapping.js';
import { bundledSampleFiles, bundledSamplePath } from './samples.js';

const heart = bundledSamplePath('heart.png');
const star = bundledSamplePath('star.jpg');
const ring = bundledSamplePath('ring-alpha.png');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowgif-image-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectError(promise: Promise<unknown>, code: ErrorCode, file: string): Promise<FlowGifError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof FlowGifError, `expected FlowGifError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.message.includes(basename(file)), `message should name ${basename(file)}: ${caught.message}`);
  assert.equal(caught.file, file);
  return caught;
}

/** 'dark' weights recomputed from the decoded pixels: 255 − luma, per pixel. */
async function darkWeights(path: string): Promise<Float64Array> {
  const rgb = await sharp(path).removeAlpha().raw().toBuffer();
  return Float64Array.from({ length: rgb.length / 3 }, (_, i) => 255 - (0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!));
}

function sum(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Mass-weighted mean of the mixture centres, in model space. */
function centroid(density: ImageDensity): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = 0; i < density.probabilities.length; i++) {
    const p = density.probabilities[i]!;
    if (p === 0) continue;
    const [mx, my] = pixelCentreToModel(density.mapping, i % density.width, Math.floor(i / density.width));
    x += p * mx;
    y += p * my;
  }
  return [x, y];
}

describe('loadDensity on the bundled samples', () => {
  for (const file of bundledSampleFiles) {
    it(`${file} becomes a normalised density`, async () => {
      const path = bundledSamplePath(file);
      const density = await loadDensity(path);
      const bytes = await readFile(path);
      assert.equal(density.source.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(density.source.path, path);
      assert.equal(density.source.format, { png: 'png', jpg: 'jpeg', webp: 'webp' }[file.split('.').pop()!]);
      assert.ok(Math.max(density.width, density.height) <= 512);
      assert.equal(density.probabilities.length, density.width * density.height);
      assert.equal(density.colours.length, 4 * density.width * density.height);
      assert.ok(Math.abs(sum(density.probabilities) - 1) < 1e-9);
      assert.ok(density.probabilities.every((p) => p >= 0 && Number.isFinite(p)));
      assert.equal(density.jitterStd, density.mapping.modelPerPixel / 2);
      assert.deepEqual(density.options, { mass: 'auto', threshold: 0, maxSide: 512 });
    });
  }

  it("'dark' weights are 255 − luma, normalised", async () => {
    const density = await loadDensity(star, { mass: 'dark' });
    const weights = await darkWeights(star);
    const scale = 1 / sum(weights.map((w) => Math.max(0, w)));
    for (let i = 0; i < density.probabilities.length; i++) {
      assert.ok(Math.abs(density.probabilities[i]! - Math.max(0, weights[i]!) * scale) < 1e-12);
    }
  });

  it('keeps the aspect ratio of a non-square picture', async () => {
    const density = await loadDensity(star);
    assert.equal(density.width, 480);
    assert.equal(density.height, 320);
    assert.equal(density.mapping.modelPerPixel, 8 / 480);
    const bounds = modelBounds(density.mapping);
    assert.ok(Math.abs(bounds.xMax - 4) < 1e-12 && Math.abs(bounds.xMin + 4) < 1e-12);
    assert.ok(Math.abs(bounds.yMax - 8 / 3) < 1e-12 && Math.abs(bounds.yMin + 8 / 3) < 1e-12);

    const small = await loadDensity(star, { maxSide: 96 });
    assert.equal(small.width, 96);
    assert.equal(small.height, 64);
    assert.equal(small.mapping.originalWidth, 480);
    assert.equal(small.mapping.originalHeight, 320);
  });

  it('never upscales', async () => {
    const density = await loadDensity(star, { maxSide: 2048 });
    assert.equal(density.width, 480);
    assert.equal(density.height, 320);
  });

  it('maps image → model → image exactly, and working pixels to the centre of their original area', async () => {
    const density = await loadDensity(star, { maxSide: 96 });
    const imageXY = new Float64Array([0, 0, 480, 320, 123.25, 7.5, 479.9, 0.1, 240, 160]);
    const back = modelToImage(density.mapping, imageToModel(density.mapping, imageXY));
    for (let i = 0; i < imageXY.length; i++) assert.ok(Math.abs(back[i]! - imageXY[i]!) < 1e-9);

    // Working pixel (col, row) covers 5 × 5 original pixels; its centre is their centre.
    const [mx, my] = pixelCentreToModel(density.mapping, 10, 3);
    const [ix, iy] = modelToImage(density.mapping, new Float64Array([mx, my]));
    assert.ok(Math.abs(ix! - 52.5) < 1e-9 && Math.abs(iy! - 17.5) < 1e-9);
  });

  it('puts y up: a shape at the top-left of the picture has mass at x < 0, y > 0', async () => {
    const bytes = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 10, height: 5, channels: 3, background: '#000000' } }, left: 2, top: 1 }])
      .png()
      .toBuffer();
    const density = await densityFromBytes(bytes, 'corner.png');
    const [x, y] = centroid(density);
    // Centre of the block: image (7, 3.5) → model ((7 − 20)·0.2, (10 − 3.5)·0.2).
    assert.ok(Math.abs(x - -2.6) < 1e-9, `x ${x}`);
    assert.ok(Math.abs(y - 1.3) < 1e-9, `y ${y}`);
  });

  it('invert gives the mass to bright pixels', async () => {
    const normal = await loadDensity(heart);
    const inverted = await loadDensity(heart, { invert: true });
    const corner = 0;
    const middle = 200 * normal.width + 192;
    assert.equal(normal.probabilities[corner], 0);
    assert.ok(normal.probabilities[middle]! > 0);
    assert.ok(inverted.probabilities[corner]! > inverted.probabilities[middle]!);
    assert.ok(inverted.probabilities[middle]! > 0, 'dark red still has some brightness');
    assert.ok(Math.abs(sum(inverted.probabilities) - 1) < 1e-9);
    assert.equal(inverted.options.mass, 'light');
  });

  it('threshold zeroes weights at or below it and keeps the rest as they were', async () => {
    const all = await loadDensity(star, { mass: 'dark' });
    const cut = await loadDensity(star, { mass: 'dark', threshold: 100 });
    const weights = await darkWeights(star);
    let keptBefore = 0;
    let keptAfter = 0;
    for (let i = 0; i < cut.probabilities.length; i++) {
      const w = weights[i]!;
      if (cut.probabilities[i]! > 0) {
        keptAfter++;
        assert.ok(w > 100, `kept weight ${w}`);
      } else assert.ok(w <= 100 + 1e-9, `dropped weight ${w}`);
      if (all.probabilities[i]! > 0) keptBefore++;
    }
    assert.ok(keptAfter < keptBefore, 'JPEG fringe and anti-aliased edges are removed');
    // Kept pixels keep their relative weights.
    const a = 240 + 160 * 480;
    const b = 250 + 170 * 480;
    assert.ok(Math.abs(cut.probabilities[a]! / cut.probabilities[b]! - all.probabilities[a]! / all.probabilities[b]!) < 1e-9);
  });

  it('keeps alpha: transparent pixels carry no mass, the background is transparent, colours are kept', async () => {
    const density = await loadDensity(ring);
    assert.equal(density.width, 320);
    assert.equal(density.background.transparent, true);
    const at = (col: number, row: number): number => row * density.width + col;
    for (const i of [at(0, 0), at(319, 319), at(160, 160), at(160, 100)]) assert.equal(density.probabilities[i], 0);
    // Middle of each arc, radius 114: the SVG's colours survive decoding.
    const expected = ['#d62828', '#f77f00', '#c9a227', '#2a9d8f', '#264653', '#6a4c93'];
    expected.forEach((hex, k) => {
      const angle = -Math.PI / 2 + ((k + 0.5) * 2 * Math.PI) / 6;
      const i = at(Math.floor(160 + 114 * Math.cos(angle)), Math.floor(160 + 114 * Math.sin(angle)));
      const rgb = [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16));
      const got = [...density.colours.subarray(4 * i, 4 * i + 3)];
      rgb.forEach((v, c) => assert.ok(Math.abs(got[c]! - v) <= 2, `${hex}: got ${got.join(',')}`));
      assert.ok(density.probabilities[i]! > 0);
    });
  });

  it('densityFromBytes equals loadDensity for the same file', async () => {
    const fromFile = await loadDensity(heart, { maxSide: 64 });
    const fromBytes = await densityFromBytes(await readFile(heart), heart, { maxSide: 64 });
    assert.deepEqual(fromBytes, fromFile);
  });

  it('reports monotonic progress that completes, and honours an aborted signal', async () => {
    const events: Progress[] = [];
    const ctx: JobContext = { signal: new AbortController().signal, progress: (p) => events.push(p) };
    await loadDensity(heart, { maxSide: 32 }, ctx);
    assert.ok(events.length >= 2);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.done >= events[i - 1]!.done);
    const last = events.at(-1)!;
    assert.equal(last.stage, 'load');
    assert.equal(last.done, last.total);

    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadDensity(heart, {}, { signal: controller.signal, progress: () => {} }), { name: 'AbortError' });
  });
});

describe('loadDensity on bad input', () => {
  it('missing file → IMAGE_NOT_FOUND', async () => {
    const path = join(dir, 'nowhere.png');
    await expectError(loadDensity(path), 'IMAGE_NOT_FOUND', path);
  });

  it('a folder → IMAGE_UNSUPPORTED', async () => {
    const error = await expectError(loadDensity(dir), 'IMAGE_UNSUPPORTED', dir);
    assert.match(error.message, /folder/);
  });

  it('empty file → IMAGE_EMPTY', async () => {
    const path = join(dir, 'empty.png');
    await writeFile(path, new Uint8Array(0));
    await expectError(loadDensity(path), 'IMAGE_EMPTY', path);
  });

  it('truncated PNG → IMAGE_CORRUPT', async () => {
    const path = join(dir, 'truncated.png');
    const bytes = await readFile(heart);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectError(loadDensity(path), 'IMAGE_CORRUPT', path);
  });

  it('truncated and scrambled JPEGs → IMAGE_CORRUPT', async () => {
    const bytes = await readFile(star);
    const truncated = join(dir, 'truncated.jpg');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectError(loadDensity(truncated), 'IMAGE_CORRUPT', truncated);

    // Entropy-coded data garbled, headers intact: libjpeg only warns, we refuse.
    const scrambled = Buffer.from(bytes);
    for (let i = 600; i < 700; i++) scrambled[i] = (scrambled[i]! * 31 + 7) & 255;
    const path = join(dir, 'scrambled.jpg');
    await writeFile(path, scrambled);
    await expectError(loadDensity(path), 'IMAGE_CORRUPT', path);
  });

  it('a text file named .png → IMAGE_UNSUPPORTED, "is not an image"', async () => {
    const path = join(dir, 'notes.png');
    await writeFile(path, 'These are my notes, not a picture.\n');
    const error = await expectError(loadDensity(path), 'IMAGE_UNSUPPORTED', path);
    assert.match(error.message, /is not an image/);
  });

  it('all-white and fully transparent pictures → IMAGE_NO_MASS, which each interface words for itself', async () => {
    const white = join(dir, 'white.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } }).png().toFile(white);
    const error = await expectError(loadDensity(white), 'IMAGE_NO_MASS', white);
    // The CLI's words name flags, the app's its controls (cli/error-report.ts, renderer's error table).
    assert.equal(error.hint, undefined);

    const clear = join(dir, 'clear.png');
    await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toFile(clear);
    await expectError(loadDensity(clear), 'IMAGE_NO_MASS', clear);
  });

  it('a threshold that removes all mass → IMAGE_NO_MASS naming the threshold', async () => {
    // The heart's red weighs about 186.
    const error = await expectError(loadDensity(heart, { threshold: 200 }), 'IMAGE_NO_MASS', heart);
    assert.match(error.message, /threshold 200/);
  });

  it('invert on an all-black picture → IMAGE_NO_MASS', async () => {
    const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000000' } }).png().toBuffer();
    await expectError(densityFromBytes(bytes, 'black.png', { invert: true }), 'IMAGE_NO_MASS', 'black.png');
  });

  it('invalid options → INVALID_ARGUMENT, before touching the file', async () => {
    const missing = join(dir, 'nowhere.png');
    for (const options of [{ maxSide: 7 }, { maxSide: 100.5 }, { threshold: -1 }, { threshold: 255 }, { threshold: Number.NaN }]) {
      await assert.rejects(loadDensity(missing, options), (error: unknown) => {
        assert.ok(error instanceof FlowGifError);
        assert.equal(error.code, 'INVALID_ARGUMENT');
        return true;
      });
    }
    await loadDensity(heart, { maxSide: 8, threshold: 0 });
  });

  it('FIFOs and /dev/zero → IMAGE_UNSUPPORTED, refused without being opened or read', async () => {
    // Five FIFOs used to occupy libuv's four threads in blocked open()s: nothing else could run.
    const fifos = [1, 2, 3, 4, 5].map((i) => join(dir, `pipe${i}.png`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    for (const error of await Promise.all(fifos.map((fifo, i) => expectError(loadDensity(fifo), 'IMAGE_UNSUPPORTED', fifos[i]!)))) {
      assert.match(error.message, /is a pipe \(FIFO\), not an image file\.$/);
    }
    const zero = await expectError(loadDensity('/dev/zero'), 'IMAGE_UNSUPPORTED', '/dev/zero');
    assert.equal(zero.message, '/dev/zero is a device, not an image file.');
    assert.ok(process.memoryUsage().rss < 600 * 1024 ** 2, 'nothing of /dev/zero was read');
  });

  it('a text file with a secret-looking line → its contents appear nowhere in the error', async () => {
    const path = join(dir, 'shadow.png');
    await writeFile(path, 'root:$6$Zq8sEcReT$hash:19000:0:99999:7:::\n');
    const error = await expectError(loadDensity(path), 'IMAGE_UNSUPPORTED', path);
    assert.ok(!JSON.stringify(serializeError(error)).includes('Zq8sEcReT'), error.message);
  });

  it('a 65 535 × 1 strip records that it was reduced: original and working size', async () => {
    const path = join(dir, 'strip.png');
    await sharp({ create: { width: 65535, height: 1, channels: 3, background: '#000000' } }).png().toFile(path);
    const density = await loadDensity(path, { mass: 'dark' });
    assert.deepEqual([density.mapping.originalWidth, density.mapping.originalHeight, density.width, density.height], [65535, 1, 512, 1]);
    assert.ok(Math.abs(reductionFactor(density.mapping) - 65535 / 512) < 1e-9);
  });

  it('a header claiming 20 000 × 20 000 pixels → IMAGE_TOO_LARGE without decoding', async () => {
    const path = join(dir, 'huge.png');
    await writeFile(path, pngHeaderOnly(20000, 20000));
    await expectError(loadDensity(path), 'IMAGE_TOO_LARGE', path);
  });

  it('a 10 000 × 10 000 PNG loads to 512 on the long side within 2 GB', async () => {
    const path = join(dir, 'big.png');
    const ellipse = '<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"><ellipse cx="2000" cy="1500" rx="2000" ry="1500"/></svg>';
    await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#ffffff' } })
      .composite([{ input: Buffer.from(ellipse), left: 5000, top: 2000 }])
      .png({ compressionLevel: 1 })
      .toFile(path);
    const density = await loadDensity(path);
    assert.equal(density.width, 512);
    assert.equal(density.height, 512);
    assert.equal(density.mapping.originalWidth, 10000);
    // Ellipse centre: image (7000, 3500) → model ((7000 − 5000)·0.0008, (5000 − 3500)·0.0008).
    const [x, y] = centroid(density);
    assert.ok(Math.abs(x - 1.6) < 0.02 && Math.abs(y - 1.2) < 0.02, `centroid ${x}, ${y}`);
    const maxRssBytes = process.resourceUsage().maxRSS * 1024;
    assert.ok(maxRssBytes < 2 * 1024 ** 3, `peak RSS ${(maxRssBytes / 1024 ** 2).toFixed(0)} MB`);
  });
});

/** A valid PNG header over a few bytes of pixel data: enough for a size check, nothing to decode. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}
