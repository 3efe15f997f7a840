import { app, shell, type Session, type WebContents } from 'electron';
import { APP_ORIGIN } from './app-url.js';
import { isAllowedExternalUrl } from './sender-check.js';

/** The only permission the UI needs: writing "Copy details" of an error to the clipboard. */
const allowedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

/** Allowlisted https links go to the system browser; nothing ever opens inside the app. */
function openOutside(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

/**
 * Applied to every webContents ever created (not only ours), so a window, webview or frame that
 * appears by surprise cannot open windows, navigate away from app://, or be granted permissions.
 */
export function installWebContentsGuards(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      openOutside(event.url);
    });
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(allowedPermissions.has(permission) && isAppUrl(contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return allowedPermissions.has(permission) && requestingOrigin === APP_ORIGIN;
  });
}
