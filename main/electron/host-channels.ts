import type { RequestPayload, ResponseValue } from '../../shared/ipc/contract.js';

/** The channels the shell answers itself: they need native UI the engine process has not got. */
export type HostChannel = 'dialog:open-image' | 'dialog:open-project' | 'dialog:save-path' | 'shell:show-in-folder';

export type HostHandlers = { readonly [C in HostChannel]: (payload: RequestPayload<C>) => Promise<ResponseValue<C>> };

export const hostChannels: ReadonlySet<string> = new Set<HostChannel>(['dialog:open-image', 'dialog:open-project', 'dialog:save-path', 'shell:show-in-folder']);

export function isHostChannel(channel: string): channel is HostChannel {
  return hostChannels.has(channel);
}
