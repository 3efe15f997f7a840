import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowedExternalUrl, isTrustedSender } from './sender-check.js';

const ours = new Set([7]);

describe('isTrustedSender', () => {
  it('accepts our window top frame showing app://flowgif/', () => {
    assert.equal(isTrustedSender({ frameUrl: 'app://flowgif/index.html', isMainFrame: true, webContentsId: 7 }, ours), true);
    assert.equal(isTrustedSender({ frameUrl: 'app://flowgif/index.html#/export', isMainFrame: true, webContentsId: 7 }, ours), true);
  });

  it('refuses other origins, look-alike hosts, iframes, other windows and vanished frames', () => {
    const refused = [
      { frameUrl: 'https://flowgif/index.html', isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'file:///opt/flowgif/dist/renderer/index.html', isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'app://flowgif.evil/index.html', isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'app://flowgif@evil/index.html', isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'app://evil/flowgif/', isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'app://flowgif/index.html', isMainFrame: false, webContentsId: 7 },
      { frameUrl: 'app://flowgif/index.html', isMainFrame: true, webContentsId: 8 },
      { frameUrl: undefined, isMainFrame: true, webContentsId: 7 },
      { frameUrl: 'about:blank', isMainFrame: true, webContentsId: 7 },
    ];
    for (const facts of refused) assert.equal(isTrustedSender(facts, ours), false, JSON.stringify(facts));
  });
});

describe('isAllowedExternalUrl', () => {
  it('opens only https links to the allowlisted hosts', () => {
    assert.equal(isAllowedExternalUrl('https://arxiv.org/abs/2210.02747'), true);
    assert.equal(isAllowedExternalUrl('https://github.com/rtqichen/ffjord'), true);
    for (const url of [
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://github.com/share',
      'https://example.com/',
      'nonsense',
    ]) {
      assert.equal(isAllowedExternalUrl(url), false, url);
    }
  });
});
