import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_PROJECT_FILE_BYTES, readRegularFile } from './read-regular-file.js';
import { writeFileAtomic } from './write-atomic.js';

export interface RecentListOptions<T> {
  /** The JSON file in the app's data folder. */
  readonly file: string;
  /** What the list is, for messages: "a list of recent projects". */
  readonly what: string;
  readonly max: number;
  /** Keeps only well-formed entries of what was read: the file may be old or damaged. */
  readonly accept: (entry: unknown) => entry is T;
  /** Two entries with one key are one: the newer replaces the older. */
  readonly key: (entry: T) => string;
}

/**
 * A short list kept in the app's data folder, newest first: the recent projects and the export
 * history are each one of these. A missing or damaged file is an empty list: it is a
 * convenience, not data.
 */
export class RecentList<T> {
  readonly #options: RecentListOptions<T>;
  /** Adds run one after another, so two at once cannot drop each other's entry. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RecentListOptions<T>) {
    this.#options = options;
  }

  async list(): Promise<T[]> {
    const { file, what, max, accept } = this.#options;
    try {
      const bytes = await readRegularFile(file, {
        what,
        maxBytes: MAX_PROJECT_FILE_BYTES,
        codes: { notFound: 'NOT_FOUND', notRegular: 'INVALID_ARGUMENT', tooLarge: 'INVALID_ARGUMENT' },
      });
      const parsed: unknown = JSON.parse(bytes.toString('utf8'));
      return Array.isArray(parsed) ? parsed.filter(accept).slice(0, max) : [];
    } catch {
      return [];
    }
  }

  add(entry: T): Promise<void> {
    const { file, max, key } = this.#options;
    const next = this.#queue.then(async () => {
      const list = [entry, ...(await this.list()).filter((e) => key(e) !== key(entry))].slice(0, max);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(list, null, 2)}\n`);
    });
    this.#queue = next.catch(() => {});
    return next;
  }
}
