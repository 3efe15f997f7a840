import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowGifError } from '../../../shared/errors.js';
import { bundledFontFamilies, DEFAULT_TEXT_WEIGHT, type TextWeight } from '../../../shared/text-picture.js';
import { isFontFilePath, readFontFace, type FontFace } from './font-file.js';

/** The files of each bundled family (resources/fonts, OFL.txt beside them), by weight. */
const bundledFontFiles: Readonly<Record<string, Readonly<Record<TextWeight, string>>>> = {
  Inter: { regular: 'Inter-Regular.ttf', bold: 'Inter-Bold.ttf' },
};

/**
 * resources/fonts in a checkout, found from this module (dist/main/engine/image/) as the samples
 * are. A packaged app keeps resources elsewhere; its host passes its own folder instead.
 */
export function bundledFontsDir(): string {
  return fileURLToPath(new URL('../../../../resources/fonts/', import.meta.url));
}

export interface FontChoice {
  /** A bundled family's name ("Inter", any case) or the path of a .ttf/.otf file; default the first bundled family. */
  readonly font?: string;
  /** For a bundled family; a font file is one face and keeps its own. Default bold. */
  readonly weight?: TextWeight;
  readonly fontsDir?: string;
  readonly signal?: AbortSignal;
}

/** The face a text is drawn in: a bundled family at a weight, or a font file the user gave. */
export async function resolveFont(choice: FontChoice = {}): Promise<FontFace> {
  const font = choice.font?.trim() ?? bundledFontFamilies[0]!;
  if (font === '') throw new FlowGifError('INVALID_ARGUMENT', `The font name is empty; the bundled fonts are ${bundledFontFamilies.join(', ')}.`);
  if (isFontFilePath(font)) {
    if (choice.weight !== undefined) {
      throw new FlowGifError('INVALID_ARGUMENT', `${font} is one face with its own weight; a weight applies to the bundled fonts (${bundledFontFamilies.join(', ')}).`, {
        file: font,
        hint: 'To use another weight of that font, pass its own file.',
      });
    }
    // Pango wants an absolute path; a relative one is the caller's current folder's.
    return readFontFace(resolve(font), choice.signal);
  }
  const family = bundledFontFamilies.find((name) => name.toLowerCase() === font.toLowerCase());
  if (family === undefined) {
    throw new FlowGifError('INVALID_ARGUMENT', `There is no bundled font named ${font}; the bundled fonts are ${bundledFontFamilies.join(', ')}.`, {
      hint: 'Or pass the path of a .ttf or .otf font file.',
    });
  }
  const weight = choice.weight ?? DEFAULT_TEXT_WEIGHT;
  const face = await readFontFace(join(choice.fontsDir ?? bundledFontsDir(), bundledFontFiles[family]![weight]), choice.signal);
  return face;
}
