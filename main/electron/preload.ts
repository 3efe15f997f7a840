/**
 * Runs sandboxed: only `electron` may be required at run time, so build-preload.mjs bundles
 * this file and shared/ into one preload.cjs. It exposes window.flowgif and nothing else.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createFlowGifApi } from './preload-api.js';

const api = createFlowGifApi(
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (channel, listener) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
  (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
);

contextBridge.exposeInMainWorld('flowgif', api);
