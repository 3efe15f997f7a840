import fs from 'node:fs/promises';
import type { SampleInfo } from '../../shared/ipc/contract.js';
import { bundledSampleFiles, bundledSamples } from '../engine/image/samples.js';

const titles: ReadonlyMap<string, string> = new Map(bundledSamples.map((sample) => [sample.file, sample.title]));

const IMAGE_FILE = /\.(png|jpe?g|webp|gif|avif|tiff?|svg)$/i;

function titleOf(file: string): string {
  const known = titles.get(file);
  if (known !== undefined) return known;
  const words = file.replace(IMAGE_FILE, '').replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The pictures in the samples folder, bundled ones first in their usual order. Read from the
 * folder rather than assumed, so a packaged app lists exactly what it ships.
 */
export async function listSamples(samplesDir: string): Promise<SampleInfo[]> {
  let files: string[];
  try {
    files = (await fs.readdir(samplesDir, { withFileTypes: true })).filter((e) => e.isFile() && IMAGE_FILE.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
  const rank = (file: string): number => {
    const i = (bundledSampleFiles as readonly string[]).indexOf(file);
    return i < 0 ? bundledSampleFiles.length : i;
  };
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return files.map((name) => ({ name, title: titleOf(name) }));
}
