import type { AppState } from './app-state.svelte.js';

/**
 * A File from an input or a drop. By path where the host knows it (Electron), so a saved
 * project can find the picture again; else as bytes, which every host accepts.
 */
export async function openFile(app: AppState, file: File): Promise<void> {
  const path = app.pathForFile(file);
  if (path !== undefined && path !== '') {
    await app.openImage({ kind: 'path', path }, app.density);
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  await app.openImage({ kind: 'bytes', name: file.name, bytes }, app.density);
}
