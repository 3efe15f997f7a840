/**
 * window.flowgif as the Electron preload exposes it: the transport-neutral FlowGifApi plus the
 * two things only a desktop shell has. The renderer feature-detects them and works without.
 */
import type { FlowGifApi } from './contract.js';
import type { MenuCommandApi } from './menu.js';

export interface FlowGifElectronApi extends FlowGifApi, MenuCommandApi {
  /**
   * The absolute path of a File the user dropped or picked (Electron's webUtils.getPathForFile,
   * since File.path is gone); undefined for files that have none. Typed `object` because
   * shared/ has no DOM types; pass the DOM File.
   */
  pathForFile(file: object): string | undefined;
}
