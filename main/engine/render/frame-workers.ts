import { Worker } from 'node:worker_threads';
import { FlowGifError } from '../../../shared/errors.js';
import type { CancelSignal } from '../../../shared/job.js';
import type { FlatLevels } from '../../../shared/render/hermite.js';
import type { SceneRecipe } from './scene-drawer.js';

/** Main thread → frame worker. */
export type FrameRequest =
  | { readonly kind: 'scene'; readonly recipe: SceneRecipe }
  | { readonly kind: 'frame'; readonly id: number; readonly t: number; readonly size: { readonly width: number; readonly height: number } };
/** Frame worker → main thread. */
export type FrameReply = { readonly id: number; readonly frame: Uint8ClampedArray } | { readonly id: number; readonly error: string };

/** Draws frames in worker threads, in parallel, each frame bit for bit what scene.drawAt draws. */
export interface FramePool {
  readonly threads: number;
  /** A frame of its own (not reused by the pool): the caller may keep it. */
  draw(t: number, signal: CancelSignal): Promise<Uint8ClampedArray>;
  /** Stops every worker; frames still being drawn reject. */
  close(): Promise<void>;
}

let live = 0;

/** Frame workers started and not yet exited, across every pool: a cancel must bring it back to 0. */
export function liveFrameWorkers(): number {
  return live;
}

/** The levels in shared memory, copied there once if they are not already. */
function sharedLevels(levels: FlatLevels): FlatLevels {
  const share = (a: Float32Array): Float32Array => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const copy = new Float32Array(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    return copy;
  };
  return { particles: levels.particles, times: Float64Array.from(levels.times), positions: share(levels.positions), velocities: share(levels.velocities) };
}

function workerFailed(detail: string): FlowGifError {
  return new FlowGifError('ENCODER_FAILED', `A frame could not be drawn: ${detail}`, {
    hint: 'This is a bug in FlowGIF; set FLOWGIF_THREADS=0 to draw frames on the main thread instead.',
  });
}

export function openFramePool(recipe: SceneRecipe, threads: number): FramePool {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`A frame pool needs at least one thread, got ${threads}.`);
  const scene: FrameRequest = { kind: 'scene', recipe: { ...recipe, levels: sharedLevels(recipe.levels) } };
  const size = { width: recipe.raster.width, height: recipe.raster.height };
  const pending = new Map<number, { resolve: (frame: Uint8ClampedArray) => void; reject: (error: unknown) => void }>();
  const busy = new Array<number>(threads).fill(0);
  let failure: unknown;
  let nextId = 0;
  const failAll = (error: unknown): void => {
    failure ??= error;
    for (const [id, job] of pending) {
      pending.delete(id);
      job.reject(failure);
    }
  };
  const workers = Array.from({ length: threads }, (_, w) => {
    const worker = new Worker(new URL('./frame-worker.js', import.meta.url));
    live++;
    worker.on('message', (reply: FrameReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      pending.delete(reply.id);
      busy[w]!--;
      if ('error' in reply) job.reject(workerFailed(reply.error));
      else job.resolve(reply.frame);
    });
    worker.on('error', (error) => failAll(workerFailed(error.message)));
    worker.on('exit', (code) => {
      live--;
      if (!closed) failAll(workerFailed(`a frame worker stopped (exit code ${code}).`));
    });
    worker.postMessage(scene);
    return worker;
  });
  let closed = false;
  return {
    threads,
    draw(t, signal) {
      signal.throwIfAborted();
      if (failure !== undefined) return Promise.reject(failure);
      if (closed) return Promise.reject(workerFailed('the frame pool is closed.'));
      // The least busy worker; ties to the lowest, so requests alternate when they keep pace.
      let w = 0;
      for (let i = 1; i < threads; i++) if (busy[i]! < busy[w]!) w = i;
      const id = nextId++;
      busy[w]!++;
      const frame = new Promise<Uint8ClampedArray>((resolve, reject) => pending.set(id, { resolve, reject }));
      workers[w]!.postMessage({ kind: 'frame', id, t, size } satisfies FrameRequest);
      return frame;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
      failAll(workerFailed('the frame pool was closed.'));
    },
  };
}
