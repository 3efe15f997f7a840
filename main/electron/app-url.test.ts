import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, assetHeaders, isInside, resolveAppAsset } from './app-url.js';

const root = path.resolve('/opt/flowgif/dist/renderer');

describe('resolveAppAsset', () => {
  it('serves index.html for the entry and the bare origin', () => {
    for (const url of [APP_ENTRY_URL, 'app://flowgif/', 'app://flowgif']) {
      const asset = resolveAppAsset(root, url);
      assert.ok(asset.ok, url);
      assert.equal(asset.file, path.join(root, 'index.html'));
      assert.equal(asset.mimeType, 'text/html; charset=utf-8');
    }
  });

  it('serves built assets with their MIME type, ignoring query and hash', () => {
    const cases: Array<[string, string, string]> = [
      ['app://flowgif/assets/index-3f2a.js?v=1#x', 'assets/index-3f2a.js', 'text/javascript; charset=utf-8'],
      ['app://flowgif/assets/index-9c1d.css', 'assets/index-9c1d.css', 'text/css; charset=utf-8'],
      ['app://flowgif/assets/tfjs-backend-wasm-simd.wasm', 'assets/tfjs-backend-wasm-simd.wasm', 'application/wasm'],
      ['app://flowgif/icons/mark.SVG', 'icons/mark.SVG', 'image/svg+xml'],
      ['app://flowgif/samples/with%20space.png', 'samples/with space.png', 'image/png'],
    ];
    for (const [url, relative, mime] of cases) {
      const asset = resolveAppAsset(root, url);
      assert.ok(asset.ok, url);
      assert.equal(asset.file, path.join(root, ...relative.split('/')));
      assert.equal(asset.mimeType, mime);
    }
  });

  it('keeps dot-segment traversal inside the UI folder', () => {
    // The URL parser folds ../ and %2e%2e/ first; what is left must still land inside root.
    for (const url of ['app://flowgif/../../etc/passwd.js', 'app://flowgif/%2e%2e/%2E%2E/etc/passwd.js', 'app://flowgif/assets/../../../x.js']) {
      const asset = resolveAppAsset(root, url);
      if (asset.ok) assert.ok(isInside(root, asset.file), `${url} -> ${asset.file}`);
    }
  });

  it('refuses encoded separators, backslashes and NULs', () => {
    for (const url of [
      'app://flowgif/..%2f..%2fetc%2fpasswd.js',
      'app://flowgif/assets/..%5C..%5Csecret.js',
      'app://flowgif/index.html%00.js',
      'app://flowgif/a\\..\\..\\b.js',
      'app://flowgif/%E0%A4%A.js',
    ]) {
      const asset = resolveAppAsset(root, url);
      assert.equal(asset.ok, false, url);
    }
  });

  it('refuses other schemes and hosts', () => {
    for (const url of ['file:///etc/passwd', 'https://flowgif/index.html', 'app://evil/index.html', 'app://flowgif.evil/index.html', 'not a url']) {
      const asset = resolveAppAsset(root, url);
      assert.equal(asset.ok, false, url);
    }
  });

  it('refuses file types a UI build does not produce', () => {
    for (const url of ['app://flowgif/secret', 'app://flowgif/app.exe', 'app://flowgif/.env', 'app://flowgif/assets/']) {
      const asset = resolveAppAsset(root, url);
      assert.equal(asset.ok, false, url);
      if (!asset.ok) assert.equal(asset.status, 404);
    }
  });
});

describe('isInside', () => {
  it('tells children from siblings that share a prefix', () => {
    assert.equal(isInside(root, root), true);
    assert.equal(isInside(root, path.join(root, 'a', 'b.js')), true);
    assert.equal(isInside(root, path.join(root, '..foo')), true);
    assert.equal(isInside(root, `${root}-evil/x.js`), false);
    assert.equal(isInside(root, path.dirname(root)), false);
  });
});

describe('Content-Security-Policy', () => {
  it('allows scripts only from our origin, and rides on every asset', () => {
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.match(CONTENT_SECURITY_POLICY, /object-src 'none'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline/);
    const headers = assetHeaders('text/javascript; charset=utf-8');
    assert.equal(headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
    assert.equal(headers['X-Content-Type-Options'], 'nosniff');
  });
});
