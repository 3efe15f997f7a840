import type {
  AppInfo,
  FlowGifApi,
  ImageInfo,
  JobDoneMap,
  JobId,
  JobKind,
  JobMessage,
  RequestChannel,
  RequestPayload,
  ResponseValue,
  Result,
  TrajectoryData,
} from '../../../shared/ipc/contract.js';
import type { SerializedError } from '../../../shared/errors.js';
import type { Progress } from '../../../shared/job.js';

type Answer<C extends RequestChannel> = (payload: RequestPayload<C>) => Result<ResponseValue<C>> | Promise<Result<ResponseValue<C>>>;

/** The channels that answer with a job id, and the kind of job each starts. */
const jobChannels = { 'preview:start': 'preview', 'train:start': 'train', 'export:start': 'export' } as const;
type JobChannel = keyof typeof jobChannels;

export interface Call {
  readonly channel: RequestChannel;
  readonly payload: unknown;
}

/**
 * An engine in memory: requests answer from a script (job starts hand out job-1, job-2, … by
 * default), and the test pushes each job's events itself, in the order it wants to test.
 */
export class FakeApi implements FlowGifApi {
  readonly calls: Call[] = [];
  readonly #answers = new Map<RequestChannel, Answer<RequestChannel>>();
  readonly #listeners = new Set<(message: JobMessage) => void>();
  readonly #jobs: { readonly jobId: JobId; readonly channel: JobChannel; readonly payload: unknown }[] = [];

  constructor() {
    for (const channel of Object.keys(jobChannels) as JobChannel[]) {
      this.answer(channel, (payload) => {
        const jobId = `job-${this.#jobs.length + 1}`;
        this.#jobs.push({ jobId, channel, payload });
        return ok({ jobId });
      });
    }
    this.answer('job:cancel', () => ok({ cancelled: true }));
  }

  answer<C extends RequestChannel>(channel: C, answer: Answer<C>): void {
    this.#answers.set(channel, answer as unknown as Answer<RequestChannel>);
  }

  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
    this.calls.push({ channel, payload });
    const answer = this.#answers.get(channel) as Answer<C> | undefined;
    if (answer === undefined) return Promise.resolve(fail({ name: 'Error', message: `the fake engine has no answer for ${channel}` }));
    return Promise.resolve(answer(payload));
  }

  onDidJobEvent(listener: (message: JobMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The jobs of a kind started so far, oldest first, with what each was asked. */
  jobs(kind: JobKind): { readonly jobId: JobId; readonly payload: unknown }[] {
    return this.#jobs.filter((j) => jobChannels[j.channel] === kind).map((j) => ({ jobId: j.jobId, payload: j.payload }));
  }

  /** The latest job of a kind; there must be one. */
  lastJob(kind: JobKind): { readonly jobId: JobId; readonly payload: unknown } {
    const job = this.jobs(kind).at(-1);
    if (job === undefined) throw new Error(`no ${kind} job was started`);
    return job;
  }

  /** The job ids the UI asked to cancel, in order. */
  cancelled(): JobId[] {
    return this.calls.filter((c) => c.channel === 'job:cancel').map((c) => (c.payload as RequestPayload<'job:cancel'>).jobId);
  }

  channels(): RequestChannel[] {
    return this.calls.map((c) => c.channel);
  }

  /** How many listeners are subscribed to job events. */
  get listening(): number {
    return this.#listeners.size;
  }

  emit(message: JobMessage): void {
    for (const listener of this.#listeners) listener(message);
  }

  progress(jobId: JobId, kind: JobKind, progress: Progress): void {
    this.emit({ jobId, kind, type: 'progress', progress });
  }

  done<K extends JobKind>(jobId: JobId, kind: K, value: JobDoneMap[K]): void {
    this.emit({ jobId, kind, type: 'done', value });
  }

  failed(jobId: JobId, kind: JobKind, error: SerializedError): void {
    this.emit({ jobId, kind, type: 'failed', error });
  }

  jobCancelled(jobId: JobId, kind: JobKind): void {
    this.emit({ jobId, kind, type: 'cancelled' });
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: SerializedError): Result<T> {
  return { ok: false, error };
}

/** Lets every pending reply and continuation run: the fake answers within microtasks. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function appInfo(recentProjects: readonly string[] = []): AppInfo {
  return {
    version: '0.0.0-test',
    host: 'web',
    trainingBackends: { fm: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false }, ffjord: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false } },
    samples: [{ name: 'heart.png', title: 'Heart' }],
    defaultExportFolder: '/pictures/FlowGIF',
    recentProjects,
  };
}

/** The one square picture every fake image and trajectory frames, on white. */
const square = { bounds: { xMin: -4, xMax: 4, yMin: -4, yMax: 4 }, background: { rgba: [255, 255, 255, 255], transparent: false } } as const;

export function imageInfo(imageId: string, name = `${imageId}.png`): ImageInfo {
  const densityPreview = { width: 1, height: 1, rgba: new Uint8Array(4) };
  return { ...square, imageId, name, path: `/pictures/${name}`, originalWidth: 2, originalHeight: 2, density: { mass: 'auto', threshold: 0 }, densityPreview };
}

/** A trajectory of `particles` particles at rest, enough to tell one answer from another. */
export function trajectory(particles: number): TrajectoryData {
  return {
    particles,
    times: Float64Array.of(0, 1),
    positions: new Float32Array(2 * particles * 2),
    velocities: new Float32Array(2 * particles * 2),
    imageColours: new Uint8Array(particles * 4),
    inkColour: [0, 0, 0, 255],
    ...square,
  };
}
