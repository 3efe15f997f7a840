/**
 * The formats an export writes and the file extensions that belong to each: lower-case, with the
 * dot, the first being the one a new file gets. PNG frames go into a folder, so they have none.
 * The engine's encoders, its format-from-path rule, the save dialog and the export form all read
 * this table.
 */
export const formatExtensions = {
  gif: ['.gif'],
  mp4: ['.mp4', '.m4v', '.mov'],
  png: [],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type ExportFormat = keyof typeof formatExtensions;

export const exportFormats = Object.keys(formatExtensions) as readonly ExportFormat[];

/** The format a file extension names (any case, with the dot), or undefined if it names none. */
export function formatOfExtension(extension: string): ExportFormat | undefined {
  const lower = extension.toLowerCase();
  return exportFormats.find((format) => (formatExtensions[format] as readonly string[]).includes(lower));
}

/** The extension a new file of this format gets; '' for a folder of frames. */
export function newFileExtension(format: ExportFormat): string {
  return (formatExtensions[format] as readonly string[])[0] ?? '';
}
