import { randomUUID } from 'node:crypto';
import { FlowGifError } from '../../shared/errors.js';
import type { ImageId, ImageInfo } from '../../shared/ipc/contract.js';
import { noopJobContext, type JobContext } from '../../shared/job.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../shared/noise.js';
import type { ExactFlow } from '../engine/flow/exact-flow.js';
import type { ImageDensity } from '../engine/image/density.js';
import { finerWorkingSide } from '../engine/image/working-side.js';
import { finerExactFlow, prepareImageFlow, type PictureBytes } from '../engine/pipeline/flow-source.js';
import { imageInfo } from '../engine/pipeline/wire-data.js';
import { buildOnce, LeaseCount, untilAborted, type FlowLease } from './flow-lease.js';

/** A picture as the user opened it. */
export interface OpenImage {
  readonly density: ImageDensity;
  readonly name: string;
  readonly path: string | undefined;
  /** Uploaded pictures exist nowhere on disk: kept so a saved project can write them beside it. */
  readonly bytes: Uint8Array | undefined;
}

type FinerFlow = { density: ImageDensity; field: ExactFlow } | undefined;

interface Entry extends OpenImage {
  /** Its exact flow for each source noise asked for, built once each. */
  readonly exact: Map<NoiseShape, Promise<ExactFlow>>;
  /**
   * The picture reopened at a finer working size for large exports, by noise shape and working
   * side (see finerExactFlow); undefined where the open grid already serves that size. Built
   * once per key, so the dialog's estimates and the export share it; freed with the exact flows.
   */
  readonly finer: Map<string, Promise<FinerFlow>>;
  /** Jobs using the image now: its flows are freed once it is evicted and none is left. */
  readonly leases: LeaseCount;
}

/** Opened images kept in memory; older ones are dropped. */
export const MAX_IMAGES = 8;

/**
 * The open pictures and the exact flows built from them, shared by every job that names them.
 * The oldest picture is dropped past `max`; a job still using it keeps its flows until it ends.
 */
export class ImageRegistry {
  readonly #images = new Map<ImageId, Entry>();
  readonly #max: number;
  /** Flows built and not yet freed, those of dropped pictures still in use included. */
  #liveFlows = 0;
  /** Dropped pictures whose flows are kept for the jobs still using them. */
  readonly #kept = new Set<Entry>();

  constructor(max = MAX_IMAGES) {
    this.#max = max;
  }

  /** Exact and finer flows in memory (for tests and diagnostics). */
  get liveFlows(): number {
    return this.#liveFlows;
  }

  /** Dropped pictures kept for running jobs (for tests and diagnostics). */
  get keptForJobs(): number {
    return this.#kept.size;
  }

  add(image: OpenImage): ImageInfo {
    const imageId = randomUUID();
    const entry: Entry = { ...image, exact: new Map(), finer: new Map(), leases: new LeaseCount(() => this.#free(entry)) };
    this.#images.set(imageId, entry);
    for (const [id, old] of this.#images) {
      if (this.#images.size <= this.#max) break;
      this.#close(id, old);
    }
    return imageInfo(imageId, image.density, image.path, image.name);
  }

  get(imageId: ImageId): OpenImage {
    return this.#entry(imageId);
  }

  /** Open pictures, oldest first, the given one first of all (a saved project's upload is looked up this way). */
  candidates(first: ImageId | undefined): OpenImage[] {
    const own = first === undefined ? undefined : this.#images.get(first);
    return [...(own === undefined ? [] : [own]), ...[...this.#images.values()].reverse()];
  }

  /** Starts the picture's default exact flow (every opened picture is previewed next). */
  warm(imageId: ImageId): void {
    this.#exactFlow(this.#entry(imageId), DEFAULT_NOISE_SHAPE, noopJobContext).catch(() => {});
  }

  /** A lease on the image's exact flow from `noise`. */
  lease(imageId: ImageId, noise: NoiseShape = DEFAULT_NOISE_SHAPE): FlowLease & { readonly image: OpenImage; exactFlow(ctx: JobContext): Promise<ExactFlow> } {
    const entry = this.#entry(imageId);
    const release = entry.leases.lease();
    return {
      image: entry,
      exactFlow: (ctx) => this.#exactFlow(entry, noise, ctx),
      opened: async (ctx, outputSize) => {
        const finer = outputSize === undefined ? undefined : await this.#finerFlow(entry, noise, outputSize, ctx);
        if (finer !== undefined) return { field: finer.field, density: finer.density, model: undefined };
        return { field: await this.#exactFlow(entry, noise, ctx), density: entry.density, model: undefined };
      },
      release,
    };
  }

  /** Every picture dropped; flows still leased are freed when their jobs end. */
  dispose(): void {
    for (const [id, entry] of this.#images) this.#close(id, entry);
  }

  #close(imageId: ImageId, entry: Entry): void {
    this.#images.delete(imageId);
    if (entry.leases.leases > 0) this.#kept.add(entry);
    entry.leases.close();
  }

  #entry(imageId: ImageId): Entry {
    const entry = this.#images.get(imageId);
    if (entry === undefined) {
      throw new FlowGifError('NOT_FOUND', `Image ${imageId} is not open (it may have been closed to free memory).`, { hint: 'Open the picture again.' });
    }
    return entry;
  }

  /**
   * An image's exact flow, built once and shared. It is built without the job's signal, so one
   * cancelled preview does not spoil it for the next; each waiter still stops at its own cancel.
   */
  #exactFlow(entry: Entry, noise: NoiseShape, ctx: JobContext): Promise<ExactFlow> {
    const built = buildOnce(entry.exact, noise, () =>
      this.#counted(prepareImageFlow(entry.density, noise, { signal: noopJobContext.signal, progress: ctx.progress })),
    );
    return untilAborted(built, ctx.signal);
  }

  /**
   * The image's exact flow on a working grid as fine as an output of `outputSize` px can use,
   * or undefined when the open one is. Only the newest size and noise are kept once no other job
   * holds the image, so memory stays one finer flow per image.
   */
  #finerFlow(entry: Entry, noise: NoiseShape, outputSize: number, ctx: JobContext): Promise<FinerFlow> {
    const side = finerWorkingSide(entry.density.mapping, outputSize);
    const picture: PictureBytes | undefined = entry.bytes !== undefined ? { bytes: entry.bytes, name: entry.name } : entry.path === undefined ? undefined : { path: entry.path };
    if (side === undefined || picture === undefined) return Promise.resolve(undefined);
    const key = `${noise}:${side}`;
    const built = buildOnce(entry.finer, key, () =>
      this.#counted(finerExactFlow(entry.density, picture, outputSize, noise, { signal: noopJobContext.signal, progress: ctx.progress })),
    );
    if (entry.leases.leases <= 1) {
      for (const [other, flow] of entry.finer) {
        if (other === key) continue;
        entry.finer.delete(other);
        this.#dispose(flow);
      }
    }
    return untilAborted(built, ctx.signal);
  }

  #free(entry: Entry): void {
    this.#kept.delete(entry);
    for (const flow of [...entry.exact.values(), ...entry.finer.values()]) this.#dispose(flow);
    entry.exact.clear();
    entry.finer.clear();
  }

  #counted<T extends ExactFlow | FinerFlow>(building: Promise<T>): Promise<T> {
    return building.then((flow) => {
      if (flow !== undefined) this.#liveFlows++;
      return flow;
    });
  }

  #dispose(flow: Promise<ExactFlow | FinerFlow>): void {
    void flow.then(
      (f) => {
        if (f === undefined) return;
        ('field' in f ? f.field : f).dispose();
        this.#liveFlows--;
      },
      () => {},
    );
  }
}
