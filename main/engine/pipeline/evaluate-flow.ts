import type { JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { sampleDensity } from '../image/alias-sampler.js';
import { evaluateField } from '../quality/tv-score.js';
import { mixtureLogDensity } from '../quality/mixture-log-density.js';
import { ffjordLogLikelihood } from '../train/ffjord-likelihood.js';
import type { OpenedFlow } from './flow-source.js';

export interface FlowEvaluation {
  readonly score: number;
  readonly tv: number;
  readonly tvTrue: number;
  readonly tvBlob: number;
  readonly n: number;
  readonly bins: number;
  /** Held-out negative log-likelihood in nats, where the flow has a likelihood. */
  readonly nll: number | undefined;
  /** The same for the image's own mixture: the floor any likelihood model can reach. */
  readonly nllFloor: number;
}

export interface EvaluateOptions {
  readonly n: number;
  readonly seed: number;
  /** Held-out points for the NLL (likelihood models are slower per point than sampling). */
  readonly nllPoints?: number;
  /** Turns of swirl on the samples' way to t = 1. */
  readonly swirl?: number;
}

/** Seeds that keep held-out data apart from any training batch a trainer draws with a small seed. */
const HELD_OUT_SEED_OFFSET = 0x7fff_0000;

export async function evaluateFlow(flow: OpenedFlow, options: EvaluateOptions, ctx: JobContext): Promise<FlowEvaluation> {
  const report = await evaluateField(flow.density, flow.field, { n: options.n, seed: options.seed, swirl: options.swirl ?? 0 }, ctx);
  const heldOut = sampleDensity(flow.density, options.nllPoints ?? 5000, createRandom(options.seed + HELD_OUT_SEED_OFFSET));
  const nllFloor = -mean(mixtureLogDensity(flow.density, heldOut));
  let nll: number | undefined;
  if (flow.model === undefined) {
    nll = nllFloor;
  } else if (flow.model.method === 'ffjord') {
    ctx.progress({ stage: 'evaluate', done: 0, total: 1, message: 'held-out NLL' });
    nll = -mean(await ffjordLogLikelihood(flow.model, heldOut, { signal: ctx.signal }));
    ctx.progress({ stage: 'evaluate', done: 1, total: 1, message: 'held-out NLL' });
  }
  return {
    score: report.score,
    tv: report.tv,
    tvTrue: report.tvTrue,
    tvBlob: report.tvBlob,
    n: report.n,
    bins: report.bins,
    nll,
    nllFloor,
  };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
