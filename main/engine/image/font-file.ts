import { FlowGifError } from '../../../shared/errors.js';
import { readRegularFile } from '../project/read-regular-file.js';

/** The largest font we read: CJK fonts run to ~20 MB; anything beyond is not a font. */
export const MAX_FONT_FILE_BYTES = 64 * 1024 * 1024;

const FONT_EXTENSIONS = ['.ttf', '.otf'] as const;

/** A font file the text renderer can use: the face Pango should ask fontconfig for. */
export interface FontFace {
  readonly file: string;
  /** The family as the file names it ("Inter"). */
  readonly family: string;
  /** The face within the family ("Bold"); "Regular" when the file does not say. */
  readonly style: string;
}

export function isFontFilePath(value: string): boolean {
  const lower = value.toLowerCase();
  return FONT_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Reads a .ttf/.otf file's family and style names from its `name` table. We check the file
 * ourselves because Pango does not: a file it cannot use is silently replaced by some system
 * font, which would give a different picture on every machine without a word.
 */
export async function readFontFace(file: string, signal?: AbortSignal): Promise<FontFace> {
  const bytes = await readRegularFile(file, {
    what: 'a font file',
    maxBytes: MAX_FONT_FILE_BYTES,
    codes: { notFound: 'INVALID_ARGUMENT', notRegular: 'INVALID_ARGUMENT', tooLarge: 'INVALID_ARGUMENT' },
    hint: 'Pass a TrueType (.ttf) or OpenType (.otf) font file.',
    ...(signal === undefined ? {} : { signal }),
  });
  const names = fontNames(bytes);
  if (names === undefined) {
    throw new FlowGifError('INVALID_ARGUMENT', `${file} is not a font FlowGIF can use: it is not a TrueType or OpenType file, or it names no font family.`, {
      file,
      hint: 'Pass a TrueType (.ttf) or OpenType (.otf) font file.',
    });
  }
  return { file, ...names };
}

/** Family and style from an sfnt's name table, or undefined when the bytes are not one. */
export function fontNames(bytes: Uint8Array): { family: string; style: string } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) return undefined;
  const version = view.getUint32(0);
  // TrueType outlines (1.0 or Apple's 'true') or CFF outlines ('OTTO'); collections are not one face.
  if (version !== 0x00010000 && version !== 0x74727565 && version !== 0x4f54544f) return undefined;
  const tableCount = view.getUint16(4);
  if (12 + tableCount * 16 > bytes.byteLength) return undefined;
  let name: { offset: number; length: number } | undefined;
  for (let i = 0; i < tableCount; i++) {
    const record = 12 + i * 16;
    if (view.getUint32(record) === 0x6e616d65 /* 'name' */) {
      name = { offset: view.getUint32(record + 8), length: view.getUint32(record + 12) };
    }
  }
  if (name === undefined || name.length < 6 || name.offset + name.length > bytes.byteLength) return undefined;
  const table = new DataView(bytes.buffer, bytes.byteOffset + name.offset, name.length);
  const count = table.getUint16(2);
  const stringsAt = table.getUint16(4);
  if (6 + count * 12 > name.length) return undefined;

  // The best string for each name id: Windows English first, then any Windows, then Unicode, then Mac Roman.
  const best = new Map<number, { rank: number; text: string }>();
  for (let i = 0; i < count; i++) {
    const record = 6 + i * 12;
    const platform = table.getUint16(record);
    const encoding = table.getUint16(record + 2);
    const language = table.getUint16(record + 4);
    const nameId = table.getUint16(record + 6);
    const length = table.getUint16(record + 8);
    const offset = stringsAt + table.getUint16(record + 10);
    if (![1, 2, 16, 17].includes(nameId) || offset + length > name.length) continue;
    const raw = new Uint8Array(bytes.buffer, bytes.byteOffset + name.offset + offset, length);
    let rank: number;
    let text: string;
    if (platform === 3 || platform === 0) {
      rank = platform === 3 ? (language === 0x409 ? 0 : 1) : 2;
      text = utf16be(raw);
    } else if (platform === 1 && encoding === 0) {
      rank = 3;
      text = String.fromCharCode(...raw);
    } else {
      continue;
    }
    text = text.trim();
    const known = best.get(nameId);
    if (text !== '' && (known === undefined || rank < known.rank)) best.set(nameId, { rank, text });
  }
  // The typographic names (16, 17) group every weight under one family; the legacy ones (1, 2) split at four styles.
  const family = best.get(16)?.text ?? best.get(1)?.text;
  if (family === undefined) return undefined;
  const style = best.get(16) !== undefined ? (best.get(17)?.text ?? best.get(2)?.text) : best.get(2)?.text;
  return { family, style: style ?? 'Regular' };
}

function utf16be(raw: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < raw.length; i += 2) text += String.fromCharCode((raw[i]! << 8) | raw[i + 1]!);
  return text;
}
