/**
 * The engine in its own process (DESIGN §3: heavy work outside the UI's process): Electron
 * starts it as a utilityProcess, the web host and tests fork it. Settings come as
 * `--host= --resources-dir= --data-dir= --temp-dir= --version=` or FLOWGIF_* variables.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeError } from '../../shared/errors.js';
import { NO_REQUEST_ID, readRequestEnvelope, type WireResponse } from '../../shared/ipc/wire.js';
import type { RequestChannel } from '../../shared/ipc/contract.js';
import { sweepTempFoldersAtStartup } from '../engine/project/owned-temp.js';
import { parentPort, workerSetting, type WorkerMessage } from './worker-protocol.js';

const port = parentPort();
if (port === undefined) {
  console.error('worker-entry.js is the FlowGIF engine process; start it through WorkerClient (Node) or utilityProcess (Electron).');
  process.exit(2);
}

const post = (message: WorkerMessage): void => port.post(message);

// Listen before the engine loads (TensorFlow.js and onnxruntime take a while): requests that
// arrive meanwhile wait in this queue instead of being lost.
const early: unknown[] = [];
let handle: (raw: unknown) => void = (raw) => early.push(raw);
port.onMessage((raw) => handle(raw));

const setting = (key: string): string | undefined => workerSetting(process.argv, process.env, key);
// A checkout's resources/ (from dist/main/service/) unless a packaged app names its own.
const resourcesDir = setting('resources-dir') ?? fileURLToPath(new URL('../../../resources/', import.meta.url));
const tempDir = setting('temp-dir') ?? path.join(os.tmpdir(), 'flowgif');
const host = setting('host') === 'electron' ? 'electron' : 'web';
const version = setting('version');

// What killed engine processes left in the temp folders goes before this one adds its own.
await sweepTempFoldersAtStartup([tempDir]);
const { EngineService } = await import('./engine-service.js');
const service = new EngineService({
  host,
  dataDir: setting('data-dir') ?? path.join(os.homedir(), '.flowgif'),
  samplesDir: path.join(resourcesDir, 'samples'),
  fontsDir: path.join(resourcesDir, 'fonts'),
  tempDir,
  encoders: { resourcesDir },
  ...(version === undefined ? {} : { version }),
  logBug: (error) => console.error('FlowGIF engine bug:', error),
});
service.onDidJobEvent((message) => post({ type: 'job', message }));
// A window opens on this engine next: compile the first picture's code before it is chosen.
void service.warmUp();

let shuttingDown = false;
async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    // Cancelled jobs report so and encoders delete their temp files before the process ends.
    await service.dispose();
  }
  process.exit(code);
}

handle = (raw) => {
  if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'shutdown') {
    void shutdown(0);
    return;
  }
  let envelope: { id: number; channel: unknown; payload: unknown };
  try {
    envelope = readRequestEnvelope(raw);
  } catch (error) {
    post({ type: 'response', id: NO_REQUEST_ID, result: { ok: false, error: serializeError(error) } });
    return;
  }
  // The service validates the channel and payload and answers every failure as a Result.
  void service.invoke(envelope.channel as RequestChannel, envelope.payload as never).then(
    (result) => post({ type: 'response', id: envelope.id, result } satisfies WireResponse),
    (error: unknown) => post({ type: 'response', id: envelope.id, result: { ok: false, error: serializeError(error) } }),
  );
};
for (const raw of early.splice(0)) handle(raw);

// A forked worker whose parent died has no one to answer; Electron ends utility processes itself.
process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
