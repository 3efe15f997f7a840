import type { ImageSource } from '../../../shared/ipc/contract.js';
import type { AppState } from './app-state.svelte.js';

/**
 * A File from an input or a drop, as the engine opens it. By path where the host knows it
 * (Electron), so a saved project can find the picture again; else as bytes, which every host accepts.
 */
export async function imageSourceOf(app: AppState, file: File): Promise<ImageSource> {
  const path = app.pathForFile(file);
  if (path !== undefined && path !== '') return { kind: 'path', path };
  return { kind: 'bytes', name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The picture to work on. */
export async function openFile(app: AppState, file: File): Promise<void> {
  await app.openImage(await imageSourceOf(app, file), app.density);
}
