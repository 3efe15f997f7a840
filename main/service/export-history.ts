import fs from 'node:fs/promises';
import path from 'node:path';
import { exportFormats } from '../../shared/export-formats.js';
import type { ExportHistoryEntry, ExportRecord } from '../../shared/ipc/contract.js';
import { RecentList } from '../engine/project/recent-list.js';

const MAX_EXPORTS = 20;

function isExportRecord(value: unknown): value is ExportRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const whole = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  return (
    typeof r['outputPath'] === 'string' &&
    path.isAbsolute(r['outputPath']) &&
    (exportFormats as readonly unknown[]).includes(r['format']) &&
    whole(r['sizeBytes']) &&
    whole(r['frames']) &&
    whole(r['width']) &&
    whole(r['height']) &&
    (r['width'] as number) > 0 &&
    (r['height'] as number) > 0 &&
    whole(r['finishedAt'])
  );
}

/**
 * The files this app exported, newest first, kept across launches beside the recent projects
 * (the same RecentList). The engine is its one keeper: every host asks it, and a host grants
 * copy, drag and download only for what it lists.
 */
export class ExportHistory {
  readonly #list: RecentList<ExportRecord>;

  constructor(dataDir: string) {
    this.#list = new RecentList({
      file: path.join(dataDir, 'recent-exports.json'),
      what: 'the export history',
      max: MAX_EXPORTS,
      accept: isExportRecord,
      key: (r) => r.outputPath,
    });
  }

  add(record: ExportRecord): Promise<void> {
    return this.#list.add(record);
  }

  /** Each entry as it is now: one moved or deleted since is marked missing, never dropped silently. */
  async entries(): Promise<ExportHistoryEntry[]> {
    const records = await this.#list.list();
    return Promise.all(
      records.map(async (record) => {
        const stat = await fs.stat(record.outputPath).catch(() => undefined);
        // PNG frames are a folder; every other format a file.
        const present = stat !== undefined && (record.format === 'png' ? stat.isDirectory() : stat.isFile());
        return { ...record, ...(present && record.format !== 'png' ? { sizeBytes: stat.size } : {}), missing: !present };
      }),
    );
  }
}
