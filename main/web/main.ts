/**
 * `npm run web`: the FlowGIF UI in the browser, served from this machine. Builds nothing; it
 * serves dist/renderer as built and forks the engine. The address it prints carries its key,
 * kept in the user's FlowGIF folder so an open page reconnects after a restart; without the key
 * the host serves nothing (access-key.ts).
 *
 *   node dist/main/web/main.js [--port=N]   (default 5178, or any free port when that is taken)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, startWebHost, type WebHost } from './web-host.js';

const DEFAULT_PORT = 5178;

function requestedPort(argv: readonly string[]): number | undefined {
  const arg = argv.find((a) => a.startsWith('--port='));
  const text = arg?.slice('--port='.length) ?? process.env['FLOWGIF_PORT'];
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not ${text}.`);
    process.exit(2);
  }
  return port;
}

const rendererDir = fileURLToPath(new URL('../../renderer/', import.meta.url));
const explicit = requestedPort(process.argv.slice(2));
const keyFile = path.join(defaultDataDir(), 'web-access-key');

let host: WebHost;
try {
  host = await startWebHost({ port: explicit ?? DEFAULT_PORT, rendererDir, keyFile });
} catch (error) {
  // The usual port is taken (another FlowGIF?): any free one will do unless one was asked for.
  if (explicit !== undefined || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
  host = await startWebHost({ port: 0, rendererDir, keyFile });
}

console.log(
  `FlowGIF is running at ${host.url}\nOpen that address in your browser: its key is what lets you in. A page left open reconnects when FlowGIF starts again on this port (the key is kept in ${keyFile}; delete it for a new one). Press Ctrl-C to stop.`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) {
    // A second Ctrl-C: stop now, without waiting for jobs to wind down.
    process.exit(130);
  }
  stopping = true;
  console.log('\nStopping FlowGIF…');
  host.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
