import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import type { JobContext, Progress } from '../../../shared/job.js';
import type { FrameSource } from './frame-source.js';

const run = promisify(execFile);

/** A fresh folder, removed when the test ends, whether it passed or not. */
export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-encode-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file and folder under dir, hidden ones included, as relative paths. */
export async function listAll(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

export interface RecordingContext extends JobContext {
  readonly events: Progress[];
  readonly controller: AbortController;
  /** Progress never goes back and ends at its total. */
  assertCompleted(): void;
}

export function recordingContext(): RecordingContext {
  const controller = new AbortController();
  const events: Progress[] = [];
  return {
    signal: controller.signal,
    controller,
    events,
    progress: (p) => events.push(p),
    assertCompleted() {
      assert.ok(events.length > 0, 'progress was reported');
      for (let i = 1; i < events.length; i++) {
        const [a, b] = [events[i - 1] as Progress, events[i] as Progress];
        assert.ok(b.done >= a.done && b.total === a.total, `progress went from ${a.done}/${a.total} to ${b.done}/${b.total}`);
      }
      const last = events.at(-1) as Progress;
      assert.equal(last.stage, 'encode');
      assert.equal(last.done, last.total);
    },
  };
}

/** Wraps a source to count renders and optionally act (e.g. abort) when a frame is asked for. */
export function watchedSource(
  frames: FrameSource,
  onFrame: (index: number) => void = () => {},
): FrameSource & { readonly rendered: () => number } {
  let rendered = 0;
  return {
    count: frames.count,
    width: frames.width,
    height: frames.height,
    fps: frames.fps,
    frame: (index, signal) => {
      rendered++;
      onFrame(index);
      return frames.frame(index, signal);
    },
    rendered: () => rendered,
  };
}

let ffmpegPresent: Promise<boolean> | undefined;

/** Tests that need ffmpeg skip, saying why, where it is not installed (CI installs it). */
export function ffmpegSkip(): Promise<string | false> {
  ffmpegPresent ??= run('ffmpeg', ['-hide_banner', '-version']).then(
    () => true,
    () => false,
  );
  return ffmpegPresent.then((ok) => (ok ? false : 'ffmpeg is not installed (apt install ffmpeg); MP4 tests skipped'));
}

export interface ProbedStream {
  readonly codec_name: string;
  readonly profile?: string;
  readonly pix_fmt: string;
  readonly width: number;
  readonly height: number;
  readonly nb_read_frames: string;
  readonly r_frame_rate: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Every frame of a video file as ffmpeg decodes it, RGBA. `decoder` names one explicitly: VP9's
 * alpha is a side stream only libvpx's decoder reads (ffmpeg's own vp9 drops it).
 */
export async function decodeRgba(file: string, decoder?: string): Promise<Buffer> {
  const args = ['-v', 'error', ...(decoder === undefined ? [] : ['-c:v', decoder]), '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'];
  const { stdout } = await run('ffmpeg', args, { encoding: 'buffer', maxBuffer: 1 << 28 });
  return stdout;
}

export async function ffprobe(file: string): Promise<ProbedStream[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-count_frames', '-of', 'json', file]);
  return (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
}

/** Top-level ISO-BMFF boxes in file order, to see whether moov precedes mdat. */
export async function topLevelBoxes(file: string): Promise<string[]> {
  const data = await fs.readFile(file);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(data.readBigUInt64BE(offset + 8));
    if (size === 0) size = data.length - offset;
    boxes.push(type);
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}
