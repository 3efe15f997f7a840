import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipboardContent, wantsBytes } from './clipboard-content.js';

const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

describe('clipboardContent: what Copy puts on each platform', () => {
  it('macOS: the path, the file as a file URL, and a GIF as GIF bytes', () => {
    const { entries, copied } = clipboardContent('/Users/ada/cat one.gif', 'gif', 'darwin', gif);
    assert.deepEqual(copied, ['path', 'file', 'image']);
    assert.equal(entries['text/plain'], '/Users/ada/cat one.gif');
    assert.equal(entries['electron application/osclipboard;format="public.file-url"'], 'file:///Users/ada/cat%20one.gif');
    assert.equal(entries['electron application/osclipboard;format="com.compuserve.gif"'], gif);
  });

  it('Linux: the path, a uri-list and GNOME copied-files, and the GIF bytes', () => {
    const { entries, copied } = clipboardContent('/home/ada/cat.gif', 'gif', 'linux', gif);
    assert.deepEqual(copied, ['path', 'file', 'image']);
    assert.equal(entries['electron application/osclipboard;format="text/uri-list"'], 'file:///home/ada/cat.gif\r\n');
    assert.equal(entries['electron application/osclipboard;format="x-special/gnome-copied-files"'], 'copy\nfile:///home/ada/cat.gif');
    assert.equal(entries['electron application/osclipboard;format="image/gif"'], gif);
  });

  it('Windows: the path and the picture, no file reference', () => {
    assert.deepEqual(clipboardContent('C:\\Users\\ada\\cat.apng', 'apng', 'win32', png).copied, ['path', 'image']);
    assert.equal(clipboardContent('C:\\Users\\ada\\cat.apng', 'apng', 'win32', png).entries['image/png'], png);
  });

  it('videos and frame folders copy their path (and file), never bytes', () => {
    for (const format of ['mp4', 'webm', 'mov', 'png'] as const) {
      assert.equal(wantsBytes(format, 'linux'), false, format);
      assert.deepEqual(clipboardContent('/home/ada/cat.mp4', format, 'linux', undefined).copied, ['path', 'file']);
    }
    assert.deepEqual(clipboardContent('/x/cat.gif', 'gif', 'sunos', gif).copied, ['path'], 'an unknown platform gets the path alone');
  });
});
