import { FlowGifError } from '../../shared/errors.js';
import type { ImageId, ModelId } from '../../shared/ipc/contract.js';
import type { AsyncVelocityField } from '../engine/flow/velocity-field.js';
import type { ImageDensity } from '../engine/image/density.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { buildOnce, LeaseCount, untilAborted, type FlowLease } from './flow-lease.js';

export interface StoredModel {
  readonly model: TrainedModel;
  readonly density: ImageDensity;
  readonly file: string;
  readonly imageId: ImageId | undefined;
}

/** Opens a model's inference session (onnxruntime, or TensorFlow.js where it cannot load). */
export type OpenInferenceField = (model: TrainedModel) => Promise<AsyncVelocityField>;

interface Entry extends StoredModel {
  readonly leases: LeaseCount;
}

/** Models kept in memory; older ones are dropped (they stay on disk). */
export const MAX_MODELS = 8;

/**
 * The trained and opened models, each with one inference session: the ONNX export and the
 * session are made once per model, not once per preview pass. A dropped model's session is
 * freed when the last job using it ends.
 */
export class ModelRegistry {
  readonly #models = new Map<ModelId, Entry>();
  /** Each model's one inference session, opened on first use and shared by every job of the model. */
  readonly #opened = new Map<Entry, Promise<AsyncVelocityField>>();
  readonly #open: OpenInferenceField;
  readonly #max: number;
  #sessions = 0;

  constructor(open: OpenInferenceField, max = MAX_MODELS) {
    this.#open = open;
    this.#max = max;
  }

  /** Sessions open now, those of dropped models still in use included (for tests and diagnostics). */
  get liveSessions(): number {
    return this.#sessions;
  }

  add(modelId: ModelId, stored: StoredModel): void {
    const entry: Entry = { ...stored, leases: new LeaseCount(() => this.#free(entry)) };
    this.#models.set(modelId, entry);
    for (const [id, old] of this.#models) {
      if (this.#models.size <= this.#max) break;
      this.#models.delete(id);
      old.leases.close();
    }
  }

  get(modelId: ModelId): StoredModel {
    return this.#entry(modelId);
  }

  /** Opens the model's session now, so the preview that follows a training need not wait for it. */
  warm(modelId: ModelId): void {
    this.#session(this.#entry(modelId)).catch(() => {});
  }

  lease(modelId: ModelId): FlowLease {
    const entry = this.#entry(modelId);
    return {
      opened: async (ctx) => ({ field: await untilAborted(this.#session(entry), ctx.signal), density: entry.density, model: entry.model }),
      release: entry.leases.lease(),
    };
  }

  dispose(): void {
    for (const entry of this.#models.values()) entry.leases.close();
    this.#models.clear();
  }

  #entry(modelId: ModelId): Entry {
    const entry = this.#models.get(modelId);
    if (entry === undefined) throw new FlowGifError('NOT_FOUND', `Model ${modelId} is not loaded.`, { hint: 'Train again or open the project that holds it.' });
    return entry;
  }

  #session(entry: Entry): Promise<AsyncVelocityField> {
    return buildOnce(this.#opened, entry, () =>
      this.#open(entry.model).then((field) => {
        this.#sessions++;
        return field;
      }),
    );
  }

  #free(entry: Entry): void {
    const session = this.#opened.get(entry);
    this.#opened.delete(entry);
    void session?.then(
      (field) => {
        field.dispose();
        this.#sessions--;
      },
      () => {},
    );
  }
}
