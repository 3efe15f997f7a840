import fs from 'node:fs';
import os from 'node:os';
import { makeOwnedTempDirSync } from '../project/owned-temp.js';

/**
 * onnxruntime-node 1.30 on Linux writes `.ses` and `mat-debug-<pid>.log` into $TMPDIR when
 * the first session of the process is created (measured: later sessions write nothing). So
 * TMPDIR points at a folder of ours while sessions are being created, and that folder is
 * removed once the last field that may have used it is disposed; nothing lands in /tmp. Its name
 * carries this process's id, so after a SIGKILL the next start-up sweep removes it.
 *
 * TMPDIR is process-wide, so it is changed only around session creation and restored as soon
 * as no creation is pending (creations can overlap: the original is saved by the first).
 */
let folder: string | undefined;
let users = 0;
let pendingCreations = 0;
let savedTmpdir: string | undefined;

export interface TempFolderLease {
  /** Runs a session creation with TMPDIR pointing at the folder. */
  creating<T>(create: () => Promise<T>): Promise<T>;
  /** Idempotent; the last release deletes the folder. */
  release(): void;
}

/** `parent` is the app's temp folder; by default the system's. */
export function leaseOrtTempFolder(parent: string = os.tmpdir()): TempFolderLease {
  folder ??= makeOwnedTempDirSync(parent, 'ort');
  const mine = folder;
  users += 1;
  let released = false;
  return {
    async creating(create) {
      if (pendingCreations++ === 0) savedTmpdir = process.env['TMPDIR'];
      process.env['TMPDIR'] = mine;
      try {
        return await create();
      } finally {
        if (--pendingCreations === 0) {
          if (savedTmpdir === undefined) delete process.env['TMPDIR'];
          else process.env['TMPDIR'] = savedTmpdir;
        }
      }
    },
    release() {
      if (released) return;
      released = true;
      users -= 1;
      if (users === 0 && folder !== undefined) {
        fs.rmSync(folder, { recursive: true, force: true });
        folder = undefined;
      }
    },
  };
}

/** The folder in use, if any (tests check it is gone after dispose). */
export function currentOrtTempFolder(): string | undefined {
  return folder;
}
