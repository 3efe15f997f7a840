// @ts-check
/**
 * Bundles the compiled preload (dist/main/electron/preload.js, ESM, importing shared/) into one
 * CommonJS file, preload.cjs: a sandboxed preload can `require` only 'electron' (and a few
 * polyfilled modules), never a relative file. Run after `tsc -b`.
 *
 * The bundler is rolldown, the one vite 8 itself is built on (esbuild is not installed here);
 * it is resolved through vite, our declared devDependency, so it is the exact copy vite uses.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const input = path.join(root, 'dist', 'main', 'electron', 'preload.js');
const output = path.join(root, 'dist', 'main', 'electron', 'preload.cjs');

const requireFromRoot = createRequire(path.join(root, 'package.json'));
const requireFromVite = createRequire(requireFromRoot.resolve('vite/package.json'));
/** @type {typeof import('rolldown')} */
const { build } = await import(pathToFileURL(requireFromVite.resolve('rolldown')).href);

await build({
  input,
  // 'browser': a Node built-in imported by mistake fails the build instead of failing at run time.
  platform: 'browser',
  external: ['electron'],
  logLevel: 'warn',
  output: { file: output, format: 'cjs', sourcemap: true },
});

// The sandbox would only fail when the window opens; fail here instead.
const bundled = await readFile(output, 'utf8');
const required = [...bundled.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`preload.cjs requires ${foreign.join(', ')}; a sandboxed preload may require only 'electron'.`);
  process.exit(1);
}
console.log(`preload bundled: ${path.relative(root, output)} (${bundled.length} bytes; requires: ${[...new Set(required)].join(', ') || 'nothing'})`);
