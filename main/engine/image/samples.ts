import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pictures FlowGIF ships, made by main/tools/make-samples.ts (our own, not others' logos). */
export const bundledSampleFiles = ['flowgif-mark.png', 'heart.png', 'spiral.webp', 'star.jpg', 'ring-alpha.png'] as const;

export type BundledSample = (typeof bundledSampleFiles)[number];

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
