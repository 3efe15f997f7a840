import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type CancelSignal } from '../../../shared/job.js';
import { throwIfAborted } from './abort.js';
import { runProcess, type Binary } from './run-process.js';

/** Where the caller says the encoders are; anything unset is searched for. */
export interface EncoderPaths {
  readonly gifski?: string;
  readonly ffmpeg?: string;
  /**
   * A packaged app's resources folder (Electron's process.resourcesPath): binaries shipped in
   * `RESOURCES/bin/` are preferred to the npm package and to PATH.
   */
  readonly resourcesDir?: string;
}

export type EncoderOrigin = 'option' | 'env' | 'resources' | 'package' | 'path';

export interface EncoderInfo extends Binary {
  readonly version: string;
  readonly origin: EncoderOrigin;
}

export interface GifskiInfo extends EncoderInfo {
  /** Long options listed by `gifski --help` (e.g. '--repeat'), so arguments can adapt. */
  readonly flags: ReadonlySet<string>;
}

export interface FfmpegInfo extends EncoderInfo {
  /** Encoders listed by `ffmpeg -encoders` (e.g. 'libx264'). */
  readonly encoders: ReadonlySet<string>;
}

const exe = process.platform === 'win32' ? '.exe' : '';

export const gifskiHint =
  'gifski comes with FlowGIF (the npm package "gifski"); reinstall with `npm ci`, or set FLOWGIF_GIFSKI to a gifski binary (https://gif.ski).';
export const ffmpegHint =
  'Install ffmpeg (Debian/Ubuntu: `sudo apt install ffmpeg`; macOS: `brew install ffmpeg`; Windows: https://ffmpeg.org/download.html) or set FLOWGIF_FFMPEG to an ffmpeg binary.';

interface Candidate {
  readonly path: string;
  readonly origin: EncoderOrigin;
}

/**
 * Probing runs a process; one probe per binary path serves every later encode. Probes take
 * milliseconds and are shared between jobs, so they ignore any one job's cancel; callers check
 * their signal once the probe is done.
 */
const probeSignal = noopJobContext.signal;

const probes = new Map<string, Promise<unknown>>();

function cached<T>(key: string, probe: () => Promise<T>): Promise<T> {
  let entry = probes.get(key) as Promise<T> | undefined;
  if (entry === undefined) {
    entry = probe();
    // A failed probe is not remembered: the user may install the encoder and retry.
    entry.catch(() => probes.delete(key));
    probes.set(key, entry);
  }
  return entry;
}

/** gifski: the option, FLOWGIF_GIFSKI, resources/bin, the npm package's binary, then PATH. */
export async function findGifski(paths: EncoderPaths = {}, signal?: CancelSignal): Promise<GifskiInfo> {
  const found = await locate('gifski', gifskiHint, paths.gifski, 'FLOWGIF_GIFSKI', paths.resourcesDir, packagedGifski());
  const binary: Binary = { name: 'gifski', path: found.path, installHint: gifskiHint };
  const info = await cached(`gifski:${found.path}`, async (): Promise<Omit<GifskiInfo, 'origin'>> => {
    const version = await runProcess(binary, ['--version'], probeSignal);
    const help = await runProcess(binary, ['--help'], probeSignal);
    return {
      ...binary,
      version: parseVersion(version.stdout + version.stderr, 'gifski'),
      flags: parseLongFlags(help.stdout + help.stderr),
    };
  });
  if (signal !== undefined) throwIfAborted(signal);
  // The same binary may be found another way next time; only the probe is shared.
  return { ...info, origin: found.origin };
}

/** ffmpeg: the option, FLOWGIF_FFMPEG, resources/bin, the npm static build, then PATH. */
export async function findFfmpeg(paths: EncoderPaths = {}, signal?: CancelSignal): Promise<FfmpegInfo> {
  const found = await locate('ffmpeg', ffmpegHint, paths.ffmpeg, 'FLOWGIF_FFMPEG', paths.resourcesDir, packagedFfmpeg());
  const binary: Binary = { name: 'ffmpeg', path: found.path, installHint: ffmpegHint };
  const info = await cached(`ffmpeg:${found.path}`, async (): Promise<Omit<FfmpegInfo, 'origin'>> => {
    const version = await runProcess(binary, ['-hide_banner', '-version'], probeSignal);
    const encoders = await runProcess(binary, ['-hide_banner', '-encoders'], probeSignal);
    return {
      ...binary,
      version: parseVersion(version.stdout, 'ffmpeg'),
      encoders: parseFfmpegEncoders(encoders.stdout),
    };
  });
  if (signal !== undefined) throwIfAborted(signal);
  // The same binary may be found another way next time; only the probe is shared.
  return { ...info, origin: found.origin };
}

async function locate(
  name: string,
  hint: string,
  option: string | undefined,
  envName: string,
  resourcesDir: string | undefined,
  packaged: string | undefined,
): Promise<Candidate> {
  // An explicit choice is obeyed or refused, never silently replaced by another binary.
  const explicit: Candidate | undefined =
    option !== undefined && option !== ''
      ? { path: option, origin: 'option' }
      : process.env[envName]
        ? { path: process.env[envName] as string, origin: 'env' }
        : undefined;
  if (explicit !== undefined) {
    const where = explicit.origin === 'env' ? ` (from ${envName})` : '';
    if (!(await isFile(explicit.path))) {
      throw new FlowGifError('ENCODER_MISSING', `${name} was not found at ${explicit.path}${where}.`, {
        file: explicit.path,
        hint,
      });
    }
    await ensureExecutable(name, explicit.path, hint);
    return explicit;
  }
  const candidates: Candidate[] = [];
  if (resourcesDir !== undefined) candidates.push({ path: path.join(resourcesDir, 'bin', name + exe), origin: 'resources' });
  if (packaged !== undefined) candidates.push({ path: packaged, origin: 'package' });
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '') candidates.push({ path: path.join(dir, name + exe), origin: 'path' });
  }
  for (const candidate of candidates) {
    if (await isFile(candidate.path)) {
      await ensureExecutable(name, candidate.path, hint);
      return candidate;
    }
  }
  throw new FlowGifError('ENCODER_MISSING', `${name} was not found (looked in ${describe(candidates)}).`, { hint });
}

function describe(candidates: readonly Candidate[]): string {
  const origins = [...new Set(candidates.map((c) => (c.origin === 'path' ? 'PATH' : c.path)))];
  return origins.join(', ') || 'PATH';
}

/** A binary shipped inside an npm package; inside an Electron asar it lives unpacked. */
function packagedBinary(pkg: string, ...relative: string[]): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    const binary = path.join(path.dirname(manifest), ...relative);
    return binary.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  } catch {
    return undefined;
  }
}

function packagedGifski(): string | undefined {
  const folder = { linux: 'debian', darwin: 'macos', win32: 'windows' }[process.platform as string];
  return folder === undefined ? undefined : packagedBinary('gifski', 'bin', folder, `gifski${exe}`);
}

/** The static build of the optional @ffmpeg-installer package for this platform, when installed. */
function packagedFfmpeg(): string | undefined {
  return packagedBinary(`@ffmpeg-installer/${process.platform}-${process.arch}`, `ffmpeg${exe}`);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Package managers and archive tools sometimes drop the executable bit; restore it once. */
async function ensureExecutable(name: string, file: string, hint: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    await fs.access(file, constants.X_OK);
    return;
  } catch {
    // fall through to chmod
  }
  try {
    const { mode } = await fs.stat(file);
    await fs.chmod(file, mode | 0o111);
  } catch (error) {
    throw new FlowGifError('ENCODER_MISSING', `${name} at ${file} is not executable and could not be made so.`, {
      file,
      hint: `Run \`chmod +x ${file}\`. ${hint}`,
      cause: error,
    });
  }
}

/** "gifski 1.7.1" and "ffmpeg version 5.1.9-0+deb12u1 Copyright …" both yield the version word. */
export function parseVersion(output: string, name: string): string {
  const match = new RegExp(`${name}(?:\\s+version)?\\s+(\\S+)`, 'i').exec(output);
  return match?.[1] ?? 'unknown';
}

export function parseLongFlags(help: string): ReadonlySet<string> {
  return new Set(help.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? []);
}

/** `ffmpeg -encoders` lists " V....D libx264   description" after a "------" rule. */
export function parseFfmpegEncoders(listing: string): ReadonlySet<string> {
  const names = new Set<string>();
  const body = listing.split(/-{3,}\s*\n/).slice(1).join('\n') || listing;
  for (const line of body.split('\n')) {
    const match = /^\s*[A-Z.]{6}\s+(\S+)/.exec(line);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}
