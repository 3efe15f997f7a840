import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { requestChannels } from '../../shared/ipc/contract.js';
import { CHOSEN_FILES_CHANNEL } from './preload-api.js';
import { acceptChosenFiles, routeRequest, type RequestRouting } from './request-router.js';
import type { SenderFacts } from './sender-check.js';

export type IpcWiring = RequestRouting;

/**
 * One ipcMain.handle per contract channel and no other, each routed by routeRequest; plus the
 * preload's report of files the user dropped or picked in the page, which grants them as
 * pictures to open.
 */
export function registerIpcHandlers(wiring: IpcWiring): () => void {
  for (const channel of requestChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => routeRequest(wiring, channel, senderFacts(event), payload));
  }
  // ipcRenderer.send and ipcRenderer.invoke share one ordered pipe, and ipcMain.on listeners run
  // as the message arrives: a drop's grant is in place before the image:open it precedes.
  const onChosenFiles = (event: IpcMainEvent, payload: unknown): void => acceptChosenFiles(wiring, senderFacts(event), payload);
  ipcMain.on(CHOSEN_FILES_CHANNEL, onChosenFiles);
  return () => {
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
    ipcMain.removeListener(CHOSEN_FILES_CHANNEL, onChosenFiles);
  };
}

function senderFacts(event: IpcMainInvokeEvent | IpcMainEvent): SenderFacts {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id };
}
