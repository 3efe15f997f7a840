import { parentPort } from 'node:worker_threads';
import { sceneDrawer, type FrameDrawer } from './scene-drawer.js';
import type { FrameReply, FrameRequest } from './frame-workers.js';

// One frame worker (frame-workers.ts): builds its drawer from the scene's recipe, then draws
// each asked-for t into a fresh buffer that is moved, not copied, back to the main thread.
let draw: FrameDrawer | undefined;
parentPort?.on('message', (request: FrameRequest) => {
  if (request.kind === 'scene') {
    draw = sceneDrawer(request.recipe);
    return;
  }
  let reply: FrameReply;
  try {
    if (draw === undefined) throw new Error('frame asked for before the scene');
    const { width, height } = request.size;
    const frame = draw(request.t, new Uint8ClampedArray(width * height * 4));
    reply = { id: request.id, frame };
    parentPort?.postMessage(reply, [frame.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    parentPort?.postMessage(reply);
  }
});
