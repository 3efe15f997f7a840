/** Only what a vite build produces; anything else is refused rather than guessed. */
export declare function mimeTypeOf(file: string): string | undefined;
/**
 * Our own scripts and styles alone; pictures the UI draws become data: or blob: URLs; the only
 * connections are to `connectSources` (the web host's WebSocket; none in Electron). Sent as a
 * header on every asset so it holds even if a page lost its meta tag.
 */
export declare function contentSecurityPolicy(connectSources?: readonly string[]): string;
