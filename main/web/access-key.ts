import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/**
 * The web host's launch secret. Binding to loopback keeps other machines out, and the Origin and
 * Host checks keep other sites out, but any local user or process can still connect and send the
 * expected Origin. So the host makes a random key, prints it in the URL, and serves only
 * requests that carry it: in the query once (`/?key=…`), then in a cookie set from that URL.
 * `npm run web` keeps its key in a file only its user can read (keptAccessKey), so a page left
 * open reconnects when FlowGIF is started again, as Jupyter keeps its cookie secret.
 */

/** The query parameter of the printed URL. */
export const KEY_PARAM = 'key';

/** 256 random bits, URL- and cookie-safe (base64url: A-Z a-z 0-9 - _). */
export function newAccessKey(): string {
  return randomBytes(32).toString('base64url');
}

const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The key kept in `file` (created with a new key, readable by its owner alone, when absent or not
 * a key); a key file others can read is replaced, as it may have been seen.
 */
export async function keptAccessKey(file: string): Promise<string> {
  try {
    // lstat: a link could point at a file someone else controls; only our own plain file is kept.
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.lstat(file)]);
    const key = text.trim();
    const ours = process.platform === 'win32' || (stat.isFile() && (stat.mode & 0o077) === 0 && stat.uid === process.getuid?.());
    if (KEY_SHAPE.test(key) && ours) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = newAccessKey();
  await fs.mkdir(path.dirname(file), { recursive: true });
  // A new name, then a rename: never a half-written key, and never another file's mode. The
  // random part keeps a temp file left by a crash from blocking the next start.
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, `${key}\n`, { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return key;
}

/** Browsers share cookies across the ports of one host, so each port's FlowGIF has its own cookie. */
export function accessCookieName(port: number): string {
  return `flowgif-key-${port}`;
}

/** Session-only, never readable by scripts, never sent with a request another site starts. */
export function accessCookie(name: string, key: string): string {
  return `${name}=${key}; HttpOnly; SameSite=Strict; Path=/`;
}

export type KeyCheck =
  /** The key came in the URL: set the cookie and send the browser to the clean URL. */
  | 'from-url'
  /** The key came in the cookie (or, for a WebSocket upgrade, in the URL): serve. */
  | 'granted'
  | 'refused';

/**
 * Whether a request carries the key. A key in the URL decides on its own, so a stale bookmark is
 * refused even where a current cookie exists; without one, any cookie of this port's name may hold it.
 */
export function checkAccessKey(request: IncomingMessage, key: string, cookieName: string): KeyCheck {
  const url = request.url ?? '';
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  const fromUrl = query?.getAll(KEY_PARAM) ?? [];
  if (fromUrl.length > 0) return fromUrl.length === 1 && sameKey(fromUrl[0]!, key) ? 'from-url' : 'refused';
  return cookieValues(request.headers.cookie, cookieName).some((value) => sameKey(value, key)) ? 'granted' : 'refused';
}

/** Every value of the named cookie in a Cookie header (`a=1; b=2`); a browser may send a name twice. */
function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}

/** Constant time in the key's contents; its length is no secret (every key has the same one). */
function sameKey(given: string, key: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(key, 'utf8');
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
