import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DOWNLOAD_PARAM } from '../../shared/download-link.js';
import type { FlowGifApi } from '../../shared/ipc/contract.js';
import { contentDisposition, exportMimeTypes, isDownloadable } from '../hosting/export-download.js';

/**
 * GET /download?path=…: a finished export, as an attachment. Only a path the engine's export
 * history lists, spelt exactly as it lists it, is served, so no other file on the machine can
 * be named (a `..` or another spelling matches nothing). The access key was checked before.
 */
export async function serveDownload(request: IncomingMessage, response: ServerResponse, api: Pick<FlowGifApi, 'invoke'>): Promise<void> {
  const url = request.url ?? '';
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const asked = query.getAll(DOWNLOAD_PARAM);
  if (asked.length !== 1 || asked[0] === '') return refuse(response, 400, 'Name one exported file: /download?path=…');
  const file = asked[0]!;
  const history = await api.invoke('export:history', {});
  if (!history.ok) return refuse(response, 500, 'The export history could not be read.');
  const entry = history.value.entries.find((e) => e.outputPath === file);
  if (entry === undefined || !isDownloadable(entry.format)) return refuse(response, 404, 'FlowGIF serves only files it exported, and this is not one of them.');
  if (entry.missing) return refuse(response, 410, `${file} has been moved or deleted since FlowGIF exported it.`);
  // Opened once and read from that handle: what was checked is what is sent.
  const handle = await fs.promises.open(file, 'r').catch(() => undefined);
  if (handle === undefined) return refuse(response, 410, `${file} can no longer be read.`);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return refuse(response, 404, 'FlowGIF serves only files it exported, and this is not one of them.');
    response.writeHead(200, {
      'Content-Type': exportMimeTypes[entry.format],
      'Content-Length': stat.size,
      'Content-Disposition': contentDisposition(file),
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream = handle.createReadStream({ autoClose: false });
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      response.on('close', resolve);
      stream.pipe(response);
    });
  } finally {
    await handle.close();
  }
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}
