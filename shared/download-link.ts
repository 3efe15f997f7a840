/**
 * The web host's download of a finished export: one route, named here for the host that serves
 * it and the page that links to it. The file is named by its full path, which the host serves
 * only when the engine's export history lists it exactly.
 */
export const DOWNLOAD_PATH = '/download';
export const DOWNLOAD_PARAM = 'path';

export function downloadHref(file: string): string {
  return `${DOWNLOAD_PATH}?${DOWNLOAD_PARAM}=${encodeURIComponent(file)}`;
}
