import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/e2e → the repository. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererDir = path.join(repoRoot, 'dist', 'renderer');
export const resourcesDir = path.join(repoRoot, 'resources');
export const samplesDir = path.join(resourcesDir, 'samples');
/** Screenshots of every screen: gitignored, never committed. */
export const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');

/** The sample every journey opens (a file in resources/samples, as app:info lists it). */
export const SAMPLE = 'flowgif-mark.png';
/** The sample opened to show the app still works after an error. */
export const OTHER_SAMPLE = 'heart.png';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/** Why the UI cannot be driven at all here, or undefined when it can. */
export function rendererMissing(): string | undefined {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    return `the renderer is not built (${path.join(rendererDir, 'index.html')} is missing): npx vite build --config renderer/vite.config.ts`;
  }
  for (const name of [SAMPLE, OTHER_SAMPLE]) {
    if (!existsSync(path.join(samplesDir, name))) return `the bundled sample ${name} is missing from ${samplesDir}`;
  }
  return undefined;
}

/**
 * Where the electron package keeps its downloaded binary, read without require('electron'),
 * which would try to download it.
 */
export function electronBinary(): string | undefined {
  const dir = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}
