import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, assetHeaders, resolveAppAsset } from './app-url.js';

// Which paths are served is lookUpAsset's (hosting/static-assets.test.ts); here: app:// URLs.
let root: string;

before(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-app-url-test-')));
  await fs.mkdir(path.join(root, 'assets'));
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(root, 'assets', 'index-3f2a.js'), 'export {};');
});

after(() => fs.rm(root, { recursive: true, force: true }));

describe('resolveAppAsset', () => {
  it('serves index.html for the entry and the bare origin', async () => {
    for (const url of [APP_ENTRY_URL, 'app://flowgif/', 'app://flowgif']) {
      assert.deepEqual(await resolveAppAsset(root, url), { ok: true, file: path.join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' }, url);
    }
  });

  it('serves built assets by the path alone, ignoring query and hash', async () => {
    const asset = await resolveAppAsset(root, 'app://flowgif/assets/index-3f2a.js?v=1#x');
    assert.deepEqual(asset, { ok: true, file: path.join(root, 'assets', 'index-3f2a.js'), mimeType: 'text/javascript; charset=utf-8' });
  });

  it('folds ../ as a URL does and never lands outside the UI folder', async () => {
    for (const url of ['app://flowgif/../../etc/passwd.js', 'app://flowgif/%2e%2e/%2E%2E/etc/passwd.js', 'app://flowgif/assets/../../../x.js']) {
      assert.deepEqual(await resolveAppAsset(root, url), { ok: false, status: 404, reason: 'not found' }, url);
    }
  });

  it('answers 403 for what the shared rules refuse and 404 for what is not there', async () => {
    for (const url of ['app://flowgif/..%2f..%2fetc%2fpasswd.js', 'app://flowgif/index.html%00.js', 'app://flowgif/.env']) {
      const asset = await resolveAppAsset(root, url);
      assert.ok(!asset.ok && asset.status === 403, url);
    }
    for (const url of ['app://flowgif/missing.js', 'app://flowgif/assets/', 'app://flowgif/app.exe']) {
      const asset = await resolveAppAsset(root, url);
      assert.ok(!asset.ok && asset.status === 404, url);
    }
  });

  it('refuses other schemes and hosts', async () => {
    for (const url of ['file:///etc/passwd', 'https://flowgif/index.html', 'app://evil/index.html', 'app://flowgif.evil/index.html']) {
      assert.deepEqual(await resolveAppAsset(root, url), { ok: false, status: 403, reason: 'not app://flowgif' }, url);
    }
    assert.deepEqual(await resolveAppAsset(root, 'not a url'), { ok: false, status: 400, reason: 'malformed URL' });
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
