import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isStrictlyInside, lookUpAsset } from './static-assets.js';

let top: string;
let root: string;

before(async () => {
  top = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-assets-test-'));
  root = path.join(top, 'renderer');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.mkdir(path.join(root, 'samples'));
  const files = ['index.html', 'assets/app.js', 'assets/style.css', 'assets/backend.wasm', 'assets/mark.SVG', 'samples/with space.png', '.env', 'app.exe', 'secret'];
  for (const file of files) await fs.writeFile(path.join(root, file), file);
  await fs.writeFile(path.join(top, 'secret.txt'), 'not for the UI');
  await fs.symlink(path.join(top, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  await fs.symlink(path.join(root, 'assets', 'app.js'), path.join(root, 'assets', 'alias.js'));
});

after(() => fs.rm(top, { recursive: true, force: true }));

test('the empty path is index.html; built files come with their type', async () => {
  const cases: Array<[string, string, string]> = [
    ['', 'index.html', 'text/html; charset=utf-8'],
    ['/', 'index.html', 'text/html; charset=utf-8'],
    ['/assets/app.js', 'assets/app.js', 'text/javascript; charset=utf-8'],
    ['//assets//style.css', 'assets/style.css', 'text/css; charset=utf-8'],
    ['/assets/backend.wasm', 'assets/backend.wasm', 'application/wasm'],
    ['/assets/mark.SVG', 'assets/mark.SVG', 'image/svg+xml'],
    ['/samples/with%20space.png', 'samples/with space.png', 'image/png'],
    ['/assets/alias.js', 'assets/app.js', 'text/javascript; charset=utf-8'],
  ];
  const realRoot = await fs.realpath(root);
  for (const [urlPath, file, type] of cases) {
    assert.deepEqual(await lookUpAsset(root, urlPath), { kind: 'file', file: path.join(realRoot, ...file.split('/')), type }, urlPath);
  }
});

test('refused: traversal, encoded separators, NULs, backslashes, bad escapes, dot segments, links out', async () => {
  for (const urlPath of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets%2fapp.js',
    '/assets/%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/a\\..\\..\\secret.txt',
    '/%E0%A4%A',
    '/.env',
    '/./index.html',
    '/assets/link.txt',
  ]) {
    assert.equal((await lookUpAsset(root, urlPath)).kind, 'refused', urlPath);
  }
});

test('missing: folders (no listings), absent files and types a UI build does not produce', async () => {
  for (const urlPath of ['/assets/', '/assets', '/missing.js', '/secret', '/app.exe']) {
    assert.equal((await lookUpAsset(root, urlPath)).kind, 'missing', urlPath);
  }
});

test('inside an archive links are not followed: the lexical rules still hold', async () => {
  assert.deepEqual(await lookUpAsset(root, '/assets/app.js', { inArchive: true }), {
    kind: 'file',
    file: path.join(root, 'assets', 'app.js'),
    type: 'text/javascript; charset=utf-8',
  });
  assert.equal((await lookUpAsset(root, '/assets/link.txt', { inArchive: true })).kind, 'file');
  assert.equal((await lookUpAsset(root, '/../secret.txt', { inArchive: true })).kind, 'refused');
});

test('isStrictlyInside tells children from the root itself and from siblings that share a prefix', () => {
  const r = path.resolve('/opt/flowgif/dist/renderer');
  assert.equal(isStrictlyInside(r, r), false);
  assert.equal(isStrictlyInside(r, path.join(r, 'a', 'b.js')), true);
  assert.equal(isStrictlyInside(r, path.join(r, '..foo')), true);
  assert.equal(isStrictlyInside(r, `${r}-evil/x.js`), false);
  assert.equal(isStrictlyInside(r, path.dirname(r)), false);
});
