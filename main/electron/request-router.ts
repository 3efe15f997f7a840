import { serializeError } from '../../shared/errors.js';
import type { RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import { validateRequest, validateResponse } from '../../shared/ipc/schemas.js';
import { isHostChannel, type HostHandlers } from './host-channels.js';
import type { PathGrants } from './path-grants.js';
import { readChosenFiles } from './preload-api.js';
import { isTrustedSender, type SenderFacts } from './sender-check.js';

export interface RequestRouting {
  /** webContents ids of our own windows. */
  readonly trustedWebContentsIds: () => ReadonlySet<number>;
  readonly host: HostHandlers;
  /** To the engine; `owner` (the sender's webContents id) alone hears the events of a job it starts. */
  readonly forward: <C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner: number) => Promise<Result<ResponseValue<C>>>;
  /** Host-specific facts the engine cannot know (it serves the web host too). */
  readonly amend?: <C extends RequestChannel>(channel: C, value: ResponseValue<C>) => ResponseValue<C>;
  /** The paths the user chose; requests naming any other are refused here. */
  readonly grants: PathGrants;
}

/**
 * One request from the renderer: check who is asking, validate the payload, refuse paths the
 * user did not choose, then answer in the shell (dialogs, shell) or forward to the engine, and
 * remember the paths the answer hands out. Never throws: Electron would pass the renderer only
 * a thrown error's message. Free of Electron at run time, so it is tested in plain Node.
 */
export async function routeRequest<C extends RequestChannel>(routing: RequestRouting, channel: C, sender: SenderFacts, payload: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(sender, routing.trustedWebContentsIds())) {
    return { ok: false, error: { name: 'FlowGifError', code: 'IPC_INVALID', message: `Refused ${channel}: not sent by FlowGIF's window.` } };
  }
  try {
    const { grants } = routing;
    const request = grants.withConsent(channel, validateRequest(channel, payload) as RequestPayload<C>);
    if (grants.needsDefaultFolder(channel)) {
      // The default export folder is the engine's to say; ask once if the UI has not yet.
      const info = await routing.forward('app:info', {}, sender.webContentsId);
      if (info.ok) grants.learn('app:info', {}, info.value);
    }
    grants.check(channel, request);
    if (isHostChannel(channel)) {
      const run = routing.host[channel] as (payload: unknown) => Promise<unknown>;
      const value = validateResponse(channel, await run(request)) as ResponseValue<C>;
      grants.learn(channel, request, value);
      return { ok: true, value };
    }
    const result = await routing.forward(channel, request, sender.webContentsId);
    if (!result.ok) return result;
    grants.learn(channel, request, result.value);
    return { ok: true, value: routing.amend === undefined ? result.value : routing.amend(channel, result.value) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/**
 * The preload's report of files the user dropped on the window or picked in the page's file
 * input: granted as pictures to open. Only our window may report; anything malformed is ignored.
 */
export function acceptChosenFiles(routing: Pick<RequestRouting, 'trustedWebContentsIds' | 'grants'>, sender: SenderFacts, payload: unknown): void {
  if (!isTrustedSender(sender, routing.trustedWebContentsIds())) return;
  for (const file of readChosenFiles(payload)) routing.grants.grant(file, 'image');
}
