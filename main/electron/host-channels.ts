import type { RequestChannel, RequestPayload, ResponseValue } from '../../shared/ipc/contract.js';

/** The channels the shell answers itself: they need native UI the engine process has not got. */
export const hostChannels = ['dialog:open-image', 'dialog:open-project', 'dialog:save-path', 'shell:show-in-folder', 'export:copy', 'export:drag'] as const satisfies readonly RequestChannel[];

export type HostChannel = (typeof hostChannels)[number];

export type HostHandlers = { readonly [C in HostChannel]: (payload: RequestPayload<C>) => Promise<ResponseValue<C>> };

const hostChannelSet: ReadonlySet<string> = new Set<string>(hostChannels);

export function isHostChannel(channel: string): channel is HostChannel {
  return hostChannelSet.has(channel);
}
