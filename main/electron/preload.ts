/**
 * Runs sandboxed: only `electron` may be required at run time, so build-preload.mjs bundles
 * this file and shared/ into one preload.cjs. It exposes window.flowgif and nothing else.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHOSEN_FILES_CHANNEL, createFlowGifApi, watchChosenFiles } from './preload-api.js';

const pathForFile = (file: object): string => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);

// Before any page script: the user's drops and file-input picks are granted in the shell.
watchChosenFiles(window, pathForFile, (paths) => ipcRenderer.send(CHOSEN_FILES_CHANNEL, paths));

const api = createFlowGifApi(
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (channel, listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
  pathForFile,
);

contextBridge.exposeInMainWorld('flowgif', api);
