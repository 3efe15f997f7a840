import { parentPort, workerData } from 'node:worker_threads';
import { buildTakenLevels, type LevelJob, type LevelReply } from './blur-level-workers.js';

// Blur levels of one picture (blur-level-workers.ts), built into shared memory and posted as they finish.
const post = (reply: LevelReply): void => parentPort?.postMessage(reply);
try {
  buildTakenLevels(workerData as LevelJob, post);
} catch (error) {
  post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
}
