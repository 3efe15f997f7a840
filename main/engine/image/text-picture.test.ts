import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { MAX_TEXT_CHARACTERS } from '../../../shared/text-picture.js';
import { fontNames } from './font-file.js';
import { bundledFontsDir, resolveFont } from './fonts.js';
import { densityFromBytes } from './load-density.js';
import { normaliseText, textPicture, textPictureName } from './text-picture.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowgif-text-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function invalid(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof FlowGifError, String(error));
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  };
}

/** Greyscale pixels of a PNG, and the share of them that is ink (darker than mid-grey). */
async function pixels(bytes: Uint8Array): Promise<{ data: Buffer; width: number; height: number; ink: number }> {
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (const v of data) if (v < 128) dark++;
  return { data, width: info.width, height: info.height, ink: dark / data.length };
}

describe('font choice', () => {
  it('reads family and style from the bundled files', async () => {
    for (const [file, style] of [['Inter-Regular.ttf', 'Regular'], ['Inter-Bold.ttf', 'Bold']] as const) {
      assert.deepEqual(fontNames(await readFile(join(bundledFontsDir(), file))), { family: 'Inter', style });
    }
  });

  it('picks a bundled family by name in any case, bold by default', async () => {
    assert.equal((await resolveFont()).style, 'Bold');
    assert.equal((await resolveFont({ font: 'inter', weight: 'regular' })).style, 'Regular');
    assert.equal((await resolveFont({ font: 'INTER' })).file, join(bundledFontsDir(), 'Inter-Bold.ttf'));
  });

  it('takes a .ttf path as that face, and refuses a weight for it', async () => {
    const file = join(bundledFontsDir(), 'Inter-Regular.ttf');
    assert.deepEqual(await resolveFont({ font: file }), { file, family: 'Inter', style: 'Regular' });
    await assert.rejects(resolveFont({ font: file, weight: 'bold' }), invalid(/Inter-Regular\.ttf is one face with its own weight/));
  });

  it('names an unknown font and the bundled choices', async () => {
    await assert.rejects(resolveFont({ font: 'Helvetica' }), invalid(/no bundled font named Helvetica; the bundled fonts are Inter/));
    await assert.rejects(resolveFont({ font: '  ' }), invalid(/font name is empty/));
  });

  it('refuses a file that is not a font, a truncated one and a missing one, naming it', async () => {
    const text = join(dir, 'notes.ttf');
    await writeFile(text, 'just some words, no font');
    const truncated = join(dir, 'truncated.otf');
    await writeFile(truncated, (await readFile(join(bundledFontsDir(), 'Inter-Bold.ttf'))).subarray(0, 400));
    await assert.rejects(resolveFont({ font: text }), invalid(/notes\.ttf is not a font FlowGIF can use/));
    await assert.rejects(resolveFont({ font: truncated }), invalid(/truncated\.otf is not a font FlowGIF can use/));
    await assert.rejects(resolveFont({ font: join(dir, 'gone.ttf') }), invalid(/gone\.ttf does not exist/));
    assert.equal(fontNames(new Uint8Array(0)), undefined);
  });
});

describe('text picture', () => {
  it('draws black letters on white, the long side asked for, with a white margin', async () => {
    const picture = await textPicture('Hi', { longSide: 600 });
    assert.equal(picture.name, 'text:Hi');
    const { data, width, height, ink } = await pixels(picture.bytes);
    assert.deepEqual([picture.width, picture.height], [width, height]);
    assert.ok(Math.abs(Math.max(width, height) - 600) <= 2 && width > height, `${width}×${height}`);
    // Measured 0.41 for bold "Hi": thick strokes, not a hairline and not a block.
    assert.ok(ink > 0.3 && ink < 0.55, `ink ${ink}`);
    const margin = Math.floor(Math.max(width, height) * 0.08);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (x < margin || y < margin || x >= width - margin || y >= height - margin) assert.ok(data[y * width + x]! > 250, `margin pixel (${x}, ${y}) is ${data[y * width + x]}`);
      }
    }
  });

  it('bold holds more ink than regular; new lines stack the text', async () => {
    const bold = await pixels((await textPicture('Flow', { longSide: 400 })).bytes);
    const regular = await pixels((await textPicture('Flow', { longSide: 400, weight: 'regular' })).bytes);
    assert.ok(bold.ink > regular.ink * 1.3, `bold ${bold.ink}, regular ${regular.ink}`);
    const two = await textPicture('Flow\nFlow', { longSide: 400 });
    assert.ok(two.height > two.width * 0.8, `two lines: ${two.width}×${two.height}`);
    assert.equal(two.name, 'text:Flow Flow');
  });

  it('draws markup characters as text, not as markup', async () => {
    const tagged = await pixels((await textPicture('<b>x</b>', { longSide: 400 })).bytes);
    assert.ok(tagged.width > tagged.height * 3, `the tags are drawn: ${tagged.width}×${tagged.height}`);
    await textPicture('a < b & c > d', { longSide: 200 });
  });

  it('is a picture the density reads as ink', async () => {
    const picture = await textPicture('Hi', { longSide: 300 });
    const density = await densityFromBytes(picture.bytes, picture.name);
    assert.equal(density.source.path, 'text:Hi');
    assert.ok(density.width > density.height);
  });

  it('refuses empty, blank, over-long and control-character text, and an unknown weight', async () => {
    await assert.rejects(textPicture(''), invalid(/The text is empty/));
    await assert.rejects(textPicture(' \n\t '), invalid(/The text is empty/));
    await assert.rejects(textPicture('é'.repeat(MAX_TEXT_CHARACTERS + 1)), invalid(/201 characters long; the limit is 200/));
    await assert.rejects(textPicture('a\u0007b'), invalid(/control characters/));
    await assert.rejects(textPicture('Hi', { weight: 'heavy' as 'bold' }), invalid(/regular or bold, not heavy/));
    // Code points, not UTF-16 units: 200 emoji are 400 units and still allowed.
    assert.equal([...normaliseText('😀'.repeat(MAX_TEXT_CHARACTERS))].length, MAX_TEXT_CHARACTERS);
    assert.equal(normaliseText('a\r\nb\tc'), 'a\nb c');
  });

  it('names a long text by its first 39 characters', () => {
    assert.equal(textPictureName(`${'word '.repeat(20)}`), `text:${'word '.repeat(8).slice(0, 39)}…`);
  });
});
