import type { NoiseSource } from '../flow/noise-source.js';

/**
 * What a trainer produces and a .flow file stores: plain data, no tensors, so it can be
 * saved, sent across processes and loaded on any backend.
 */
export const flowMethods = Object.freeze(['fm', 'ffjord'] as const);
export type FlowMethod = (typeof flowMethods)[number];

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface TrainingRecord {
  readonly preset: string;
  readonly backend: string;
  readonly seed: number;
  readonly steps: number;
  readonly seconds: number;
  readonly finalLoss: number;
  /** Loss (and, for ffjord, NLL) every few steps, for charts and benchmarks. */
  readonly history: ReadonlyArray<{ readonly step: number; readonly seconds: number; readonly loss: number }>;
}

export interface TrainedModel {
  readonly method: FlowMethod;
  /** Method-specific architecture description (JSON), validated by the method's loader. */
  readonly architecture: Readonly<Record<string, unknown>>;
  readonly weights: readonly NamedTensor[];
  readonly training: TrainingRecord;
  /** The source noise it was trained from: sampling must start there, FFJORD's log p is against it. */
  readonly noise: NoiseSource;
}

/**
 * Live looks at a model while it trains (the app's sample cloud): the trainer calls onSnapshot
 * with the weights so far every snapshotSeconds of wall time and awaits it between steps.
 */
export interface SnapshotOptions {
  readonly onSnapshot?: (model: TrainedModel) => void | Promise<void>;
  /** Default DEFAULT_SNAPSHOT_SECONDS. */
  readonly snapshotSeconds?: number;
}

export const DEFAULT_SNAPSHOT_SECONDS = 3;

/**
 * The app's "Stop and keep": once `finish` is aborted the trainer ends after the step it is on
 * (at least one step) and returns the model so far, as if its budget were spent. A cancel
 * (the job's own signal) keeps nothing.
 */
export interface EarlyFinish {
  readonly finish?: { readonly aborted: boolean } | undefined;
}
