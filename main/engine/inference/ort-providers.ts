import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The CUDA provider's library as onnxruntime-node's own install script places it. */
const CUDA_PROVIDER_FILES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'libonnxruntime_providers_cuda.so',
  win32: 'onnxruntime_providers_cuda.dll',
};

/**
 * Execution providers to ask for, best first. The CUDA provider is not in the npm package (the
 * project skips its download, README "Requirements"); where a user fetched it, sessions try it
 * before the CPU provider. `packageDir` is for tests.
 */
export function ortExecutionProviders(packageDir = onnxruntimePackageDir()): ('cuda' | 'cpu')[] {
  const file = CUDA_PROVIDER_FILES[process.platform];
  if (file === undefined || packageDir === undefined) return ['cpu'];
  return fs.existsSync(path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch, file)) ? ['cuda', 'cpu'] : ['cpu'];
}

function onnxruntimePackageDir(): string | undefined {
  try {
    // The package's main is dist/index.js; bin/ sits beside dist/.
    return path.dirname(path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
  } catch {
    return undefined;
  }
}
