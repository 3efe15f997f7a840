import { exportFormats, newFileExtension } from '../../shared/export-formats.js';

/** The extensions `-o` takes, from the one format list: gif|mp4|webm|… (a folder means PNG frames). */
const fileExtensions = exportFormats.map(newFileExtension).filter((extension) => extension !== '').map((extension) => extension.slice(1));

/** `OUT.(gif|mp4|…|DIR/)`, for usage lines. */
export const outputUsage = `OUT.(${fileExtensions.join('|')}|DIR/)`;

/** What `-o` names, for the message when it is missing. */
export const outputWhat = `OUT.${fileExtensions.join(', OUT.')} or DIR/`;
