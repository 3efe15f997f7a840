import { APP_ORIGIN } from './app-url.js';

/** What a handler knows about who sent an IPC message, reduced to plain data so it can be tested. */
export interface SenderFacts {
  /** event.senderFrame?.url; undefined when the frame is already gone. */
  readonly frameUrl: string | undefined;
  /** The frame is the page itself, not an iframe inside it. */
  readonly isMainFrame: boolean;
  readonly webContentsId: number;
}

/**
 * Only our window's top frame, showing our own app:// page, may talk to the engine. A
 * navigation that slipped past the guards, an iframe, or another webContents gets nothing.
 */
export function isTrustedSender(facts: SenderFacts, trustedWebContentsIds: ReadonlySet<number>): boolean {
  if (!trustedWebContentsIds.has(facts.webContentsId) || !facts.isMainFrame) return false;
  if (facts.frameUrl === undefined) return false;
  let url: URL;
  try {
    url = new URL(facts.frameUrl);
  } catch {
    return false;
  }
  // Compare the parsed origin, not a prefix: app://flowgif.evil/ must not pass.
  return `${url.protocol}//${url.host}` === APP_ORIGIN && facts.frameUrl.startsWith(`${APP_ORIGIN}/`);
}

/** Links the UI may open in the system browser: papers and the projects FlowGIF builds on. */
const externalHosts: ReadonlySet<string> = new Set(['github.com', 'arxiv.org', 'gif.ski', 'ffmpeg.org', 'www.electronjs.org']);

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && externalHosts.has(url.hostname);
}
