/**
 * The formats an export writes and the file extensions that belong to each: lower-case, with the
 * dot, the first being the one a new file gets. PNG frames go into a folder, so they have none.
 * The engine's encoders, its format-from-path rule, the save dialog and the export form all read
 * this table.
 */
export const formatExtensions = {
  gif: ['.gif'],
  mp4: ['.mp4', '.m4v'],
  webm: ['.webm'],
  mov: ['.mov'],
  webp: ['.webp'],
  apng: ['.apng'],
  png: [],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type ExportFormat = keyof typeof formatExtensions;

export const exportFormats = Object.keys(formatExtensions) as readonly ExportFormat[];

/** What the export form's format menu and the save dialog's filter call each format. */
export const formatLabels: Readonly<Record<ExportFormat, string>> = {
  gif: 'GIF',
  mp4: 'MP4 (H.264)',
  webm: 'WebM (VP9)',
  mov: 'MOV (ProRes 4444)',
  webp: 'Animated WebP',
  apng: 'Animated PNG (APNG)',
  png: 'PNG frames',
};

/** Formats that keep a transparent background (GIF keeps it as on/off pixels). */
export const formatsWithAlpha: readonly ExportFormat[] = exportFormats.filter((format) => format !== 'mp4');

/** Formats that store how many times they play (GIF's NETSCAPE block, WebP's ANIM, APNG's acTL). */
export const formatsWithLoopCount: readonly ExportFormat[] = ['gif', 'webp', 'apng'];

/** The format a file extension names (any case, with the dot), or undefined if it names none. */
export function formatOfExtension(extension: string): ExportFormat | undefined {
  const lower = extension.toLowerCase();
  return exportFormats.find((format) => (formatExtensions[format] as readonly string[]).includes(lower));
}

/** The extension a new file of this format gets; '' for a folder of frames. */
export function newFileExtension(format: ExportFormat): string {
  return (formatExtensions[format] as readonly string[])[0] ?? '';
}
