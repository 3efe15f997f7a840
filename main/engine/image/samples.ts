import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The pictures FlowGIF ships, in the order the app lists them, with the titles it shows; made by
 * main/tools/make-samples.ts (our own, not others' logos).
 */
export const bundledSamples = [
  { file: 'flowgif-mark.png', title: 'FlowGIF mark' },
  { file: 'heart.png', title: 'Heart' },
  { file: 'spiral.webp', title: 'Spiral' },
  { file: 'star.jpg', title: 'Star' },
  { file: 'ring-alpha.png', title: 'Ring (transparent)' },
] as const;

export type BundledSample = (typeof bundledSamples)[number]['file'];

export const bundledSampleFiles: readonly BundledSample[] = bundledSamples.map((sample) => sample.file);

/**
 * resources/samples in a checkout, found from this module (dist/main/engine/image/). A packaged
 * app keeps resources elsewhere; its host passes its own folder instead.
 */
export function bundledSamplesDir(): string {
  return fileURLToPath(new URL('../../../../resources/samples/', import.meta.url));
}

export function bundledSamplePath(file: BundledSample, dir: string = bundledSamplesDir()): string {
  return join(dir, file);
}
