import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { serializeError } from '../../shared/errors.js';
import { requestChannels, type RequestChannel, type RequestPayload, type ResponseValue, type Result } from '../../shared/ipc/contract.js';
import { validateRequest, validateResponse } from '../../shared/ipc/schemas.js';
import { isHostChannel, type HostHandlers } from './host-requests.js';
import { isTrustedSender } from './sender-check.js';

export interface IpcWiring {
  /** webContents ids of our own windows. */
  readonly trustedWebContentsIds: () => ReadonlySet<number>;
  readonly host: HostHandlers;
  readonly forward: <C extends RequestChannel>(channel: C, payload: RequestPayload<C>) => Promise<Result<ResponseValue<C>>>;
  /** Host-specific facts the engine cannot know (it serves the web host too). */
  readonly amend?: <C extends RequestChannel>(channel: C, value: ResponseValue<C>) => ResponseValue<C>;
}

/**
 * One ipcMain.handle per contract channel and no other: each checks who is asking, validates
 * the payload, then either answers itself (dialogs, shell) or forwards to the engine. Handlers
 * never throw, because Electron would pass the renderer only the thrown error's message.
 */
export function registerIpcHandlers(wiring: IpcWiring): () => void {
  for (const channel of requestChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => handle(wiring, channel, event, payload));
  }
  return () => {
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
  };
}

async function handle<C extends RequestChannel>(wiring: IpcWiring, channel: C, event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> {
  const frame = event.senderFrame;
  const trusted = isTrustedSender(
    { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id },
    wiring.trustedWebContentsIds(),
  );
  if (!trusted) {
    return { ok: false, error: { name: 'FlowGifError', code: 'IPC_INVALID', message: `Refused ${channel}: not sent by FlowGIF's window.` } };
  }
  try {
    const request = validateRequest(channel, payload);
    if (isHostChannel(channel)) {
      const run = wiring.host[channel] as (payload: unknown) => Promise<unknown>;
      return { ok: true, value: validateResponse(channel, await run(request)) };
    }
    const result = await wiring.forward(channel, request);
    if (!result.ok || wiring.amend === undefined) return result;
    return { ok: true, value: wiring.amend(channel, result.value) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
