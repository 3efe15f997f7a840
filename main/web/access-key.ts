import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The web host's launch secret. Binding to loopback keeps other machines out, and the Origin and
 * Host checks keep other sites out, but any local user or process can still connect and send the
 * expected Origin. So each launch makes a random key, prints it in the URL, and serves only
 * requests that carry it: in the query once (`/?key=…`), then in a cookie set from that URL.
 */

/** The query parameter of the printed URL. */
export const KEY_PARAM = 'key';

/** 256 random bits, URL- and cookie-safe (base64url: A-Z a-z 0-9 - _). */
export function newAccessKey(): string {
  return randomBytes(32).toString('base64url');
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
