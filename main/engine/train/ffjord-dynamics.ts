import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import { flattenParams, type FfjordParams } from './ffjord-network.js';

/**
 * The CNF right-hand side on the state y = [z, Δlogp] ([n, 3]) at solver time τ ∈ [0, 1]:
 *   dy/dτ = T·[f(z, τT), −tr ∂f/∂z],  T = sqrtEndTime².
 * The 2×2 Jacobian is carried forward through the layers beside the values (two [n, width]
 * tensors, ∂/∂z_x and ∂/∂z_y), so the trace is exact and only first-order derivatives exist.
 *
 * One custom-gradient kernel per evaluation with the backward pass written out, and all
 * per-layer arithmetic on the small gate and weight vectors done in JavaScript, because on
 * tfjs-wasm fixed costs dominated: autodiff recorded ~340 kernels per evaluation (most on
 * 64-element vectors) and a 10-point batch cost a third of a 1000-point one. Measured wasm
 * costs (n = 1000, width 64) shaped the rest: tanh ≈ 2.5 ms but sigmoid ≈ 0.15 ms and it
 * fuses into the product, so tanh(a) = 2σ(2a) − 1 with the affine parts folded into the
 * weights; slices, axis-1 concats and axis-0 sums of [n, 64] blocks cost 0.3–2.5 ms, so the
 * state is never cut apart; transposed products are 10× slower, so transposes are explicit.
 * ffjord-dynamics.test.ts checks values and gradients against plain autodiff.
 *
 * Inside, each layer i computes a_i = x_i·V_i + c_i with x_0 = z and x_i = σ(a_{i−1}),
 * where the "value weights" V, c absorb the gate, the factor 2 and the −1 of tanh:
 *   W_g = W·g, b_g = b·g + h_w·s, g = σ(g_w·s + g_b)
 *   V = α·W_g, c = β·(b_g − γ·1ᵀW_g), α = (hidden ? 2 : 1)·(i > 0 ? 2 : 1), β = hidden ? 2 : 1, γ = i > 0.
 * The carried Jacobians are exact: J_i = ∂σ(a_i)/∂z = (J_{i−1}·V_i)·σ(1 − σ).
 */
export function ffjordDynamics(tf: Tf, params: FfjordParams, y: Tensor2D, tau: number): Tensor2D {
  const flat = flattenParams(params);
  const kernel = tf.customGrad((...args) => {
    const save = args.pop() as (tensors: Tensor[]) => void;
    const [yIn, ...flatIn] = args as Tensor[];
    return dynamicsWithGradient(tf, yIn as Tensor2D, tau, flatIn, save);
  });
  return kernel(y, ...flat) as Tensor2D;
}

interface HostLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly gateWeight: Float32Array;
  readonly gateBias: Float32Array;
  readonly hyperBias: Float32Array;
}

interface Folded {
  readonly gate: Float64Array;
  /** V, row-major [inputs, outputs]. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

// Parameter tensors are immutable and replaced every optimiser step, so their host copies are
// read once per step rather than once per evaluation. A tf.Variable can change in place: never cached.
const hostCopies = new WeakMap<Tensor, Float32Array>();
function host(tensor: Tensor): Float32Array {
  if ('assign' in tensor) return Float32Array.from(tensor.dataSync() as Float32Array);
  let data = hostCopies.get(tensor);
  if (data === undefined) {
    data = Float32Array.from(tensor.dataSync() as Float32Array);
    hostCopies.set(tensor, data);
  }
  return data;
}

function hostLayers(flat: readonly Tensor[]): HostLayer[] {
  const layers: HostLayer[] = [];
  for (let i = 0; 5 * i + 5 < flat.length; i++) {
    const w = flat[5 * i]!;
    layers.push({
      inputs: w.shape[0]!,
      outputs: w.shape[1]!,
      weight: host(w),
      bias: host(flat[5 * i + 1]!),
      gateWeight: host(flat[5 * i + 2]!),
      gateBias: host(flat[5 * i + 3]!),
      hyperBias: host(flat[5 * i + 4]!),
    });
  }
  return layers;
}

function fold(layer: HostLayer, s: number, hidden: boolean, first: boolean): Folded {
  const { inputs, outputs } = layer;
  const alpha = (hidden ? 2 : 1) * (first ? 1 : 2);
  const beta = hidden ? 2 : 1;
  const gamma = first ? 0 : 1;
  const gate = new Float64Array(outputs);
  const weight = new Float32Array(inputs * outputs);
  const bias = new Float32Array(outputs);
  for (let j = 0; j < outputs; j++) {
    const g = 1 / (1 + Math.exp(-(layer.gateWeight[j]! * s + layer.gateBias[j]!)));
    gate[j] = g;
    let columnSum = 0;
    for (let r = 0; r < inputs; r++) {
      const wg = layer.weight[r * outputs + j]! * g;
      weight[r * outputs + j] = alpha * wg;
      columnSum += wg;
    }
    bias[j] = beta * (layer.bias[j]! * g + layer.hyperBias[j]! * s - gamma * columnSum);
  }
  return { gate, weight, bias, alpha, beta, gamma };
}

/** Row-major [rows, cols] → [cols, rows]. */
function transposed(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** Gradients of the gate, weight and bias parameters from those of V and c (see the header). */
function unfold(layer: HostLayer, folded: Folded, s: number, dV: ArrayLike<number>, dc: ArrayLike<number>): { grads: Float32Array[]; ds: number } {
  const { inputs, outputs } = layer;
  const { alpha, beta, gamma, gate } = folded;
  const dW = new Float32Array(inputs * outputs);
  const db = new Float32Array(outputs);
  const dgw = new Float32Array(outputs);
  const dgb = new Float32Array(outputs);
  const dhb = new Float32Array(outputs);
  let ds = 0;
  for (let j = 0; j < outputs; j++) {
    const g = gate[j]!;
    const dbg = beta * dc[j]!;
    let dg = dbg * layer.bias[j]!;
    for (let r = 0; r < inputs; r++) {
      const dwg = alpha * dV[r * outputs + j]! - beta * gamma * dc[j]!;
      dW[r * outputs + j] = dwg * g;
      dg += dwg * layer.weight[r * outputs + j]!;
    }
    db[j] = dbg * g;
    dhb[j] = dbg * s;
    ds += dbg * layer.hyperBias[j]!;
    const dPre = dg * g * (1 - g);
    dgw[j] = dPre * s;
    dgb[j] = dPre;
    ds += dPre * layer.gateWeight[j]!;
  }
  return { grads: [dW, db, dgw, dgb, dhb], ds };
}

function dynamicsWithGradient(
  tf: Tf,
  y: Tensor2D,
  tau: number,
  flat: readonly Tensor[],
  save: (tensors: Tensor[]) => void,
): { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor[] } {
  const layers = hostLayers(flat);
  const sqrtEndTime = host(flat[flat.length - 1]!)[0]!;
  const endTime = sqrtEndTime * sqrtEndTime;
  const s = tau * endTime;
  const last = layers.length - 1;
  const n = y.shape[0];
  const folded = layers.map((layer, i) => fold(layer, s, i < last, i === 0));
  const upload = (data: Float32Array, rows: number, cols: number): Tensor2D => tf.tensor2d(data, [rows, cols]);

  // Layer 0 reads y directly: a zero row keeps Δlogp (column 2) out of the network.
  const first = folded[0]!;
  const firstWidth = layers[0]!.outputs;
  const firstPadded = new Float32Array(3 * firstWidth);
  firstPadded.set(first.weight);

  const toSave: Tensor[] = [];
  const keep = (t: Tensor): number => toSave.push(t) - 1;
  const hiddenSlots: Array<{ x: number; jx: number; jy: number; sigma: number; q: number; px: number; py: number }> = [];

  // The output layer with T folded in, as [width, 3] maps: values to (f, 0) and Jacobian rows to (0, 0, −∂f_k/∂z_k).
  const out = folded[last]!;
  const outWidth = layers[last]!.inputs;
  const valueMap = new Float32Array(outWidth * 3);
  const traceMapX = new Float32Array(outWidth * 3);
  const traceMapY = new Float32Array(outWidth * 3);
  const outBias = new Float32Array(3);
  for (let r = 0; r < outWidth; r++) {
    valueMap[3 * r] = endTime * out.weight[2 * r]!;
    valueMap[3 * r + 1] = endTime * out.weight[2 * r + 1]!;
    traceMapX[3 * r + 2] = -endTime * out.weight[2 * r]!;
    traceMapY[3 * r + 2] = -endTime * out.weight[2 * r + 1]!;
  }
  outBias[0] = endTime * out.bias[0]!;
  outBias[1] = endTime * out.bias[1]!;

  let value: Tensor;
  let outSlots: { x: number; jx: number; jy: number } | undefined;
  if (last === 0) {
    // A single layer is affine in z: its trace is a constant, carried in the bias.
    outBias[2] = -endTime * (out.weight[0]! + out.weight[3]!);
    value = tf.fused.matMul({ a: y, b: upload(Float32Array.of(...valueMap, 0, 0, 0), 3, 3), bias: tf.tensor1d(outBias) });
    keep(y);
  } else {
    let x: Tensor2D = y;
    let jx: Tensor2D | undefined;
    let jy: Tensor2D | undefined;
    for (let i = 0; i < last; i++) {
      const f = folded[i]!;
      const { inputs, outputs } = layers[i]!;
      const weight = i === 0 ? upload(firstPadded, 3, outputs) : upload(f.weight, inputs, outputs);
      const sigma = tf.fused.matMul({ a: x, b: weight, bias: tf.tensor1d(f.bias), activation: 'sigmoid' }) as Tensor2D;
      const q = tf.sub(sigma, tf.square(sigma));
      const px = i === 0 ? upload(f.weight.subarray(0, outputs), 1, outputs) : tf.matMul(jx!, weight);
      const py = i === 0 ? upload(f.weight.subarray(outputs, 2 * outputs), 1, outputs) : tf.matMul(jy!, weight);
      hiddenSlots.push({ x: keep(x), jx: jx ? keep(jx) : -1, jy: jy ? keep(jy) : -1, sigma: keep(sigma), q: keep(q), px: keep(px), py: keep(py) });
      x = sigma;
      jx = tf.mul(px, q) as Tensor2D;
      jy = tf.mul(py, q) as Tensor2D;
    }
    value = tf.addN([
      tf.fused.matMul({ a: x, b: upload(valueMap, outWidth, 3), bias: tf.tensor1d(outBias) }),
      tf.matMul(jx!, upload(traceMapX, outWidth, 3)),
      tf.matMul(jy!, upload(traceMapY, outWidth, 3)),
    ]);
    outSlots = { x: keep(x), jx: keep(jx!), jy: keep(jy!) };
  }
  save(toSave);

  const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] =>
    tf.tidy(() => {
      const g = dy as Tensor2D;
      const ones = tf.ones([1, n]) as Tensor2D;
      const columnSums = (t: Tensor): Float32Array => tf.matMul(ones, t as Tensor2D).dataSync() as Float32Array;
      const xTimes = (x: Tensor, d: Tensor): Float32Array => tf.matMul(tf.transpose(x as Tensor2D), d as Tensor2D).dataSync() as Float32Array;
      const grads: Float32Array[][] = [];
      let ds = 0;
      let dEndTime = 0;
      let dy0: Tensor;

      if (outSlots === undefined) {
        // Single affine layer: value = y·M + m with M, m built from V, c and T.
        const dM = xTimes(saved[0]!, g);
        const dm = columnSums(g);
        const dV = new Float32Array(4);
        for (let r = 0; r < 2; r++) for (let j = 0; j < 2; j++) dV[r * 2 + j] = endTime * dM[r * 3 + j]!;
        dV[0]! -= endTime * dm[2]!;
        dV[3]! -= endTime * dm[2]!;
        const dc = Float32Array.of(endTime * dm[0]!, endTime * dm[1]!);
        for (let r = 0; r < 2; r++) for (let j = 0; j < 2; j++) dEndTime += dM[r * 3 + j]! * out.weight[r * 2 + j]!;
        dEndTime += dm[0]! * out.bias[0]! + dm[1]! * out.bias[1]! - dm[2]! * (out.weight[0]! + out.weight[3]!);
        const unfolded = unfold(layers[0]!, out, s, dV, dc);
        grads[0] = unfolded.grads;
        ds += unfolded.ds;
        const mapT = transposed(Float32Array.of(...valueMap, 0, 0, 0), 3, 3);
        dy0 = tf.matMul(g, upload(mapT, 3, 3));
      } else {
        const x = saved[outSlots.x]!;
        const jx = saved[outSlots.jx]!;
        const jy = saved[outSlots.jy]!;
        const dValueMap = xTimes(x, g);
        const dBias = columnSums(g);
        const dTraceX = xTimes(jx, g);
        const dTraceY = xTimes(jy, g);
        const dV = new Float32Array(outWidth * 2);
        for (let r = 0; r < outWidth; r++) {
          dV[2 * r] = endTime * (dValueMap[3 * r]! - dTraceX[3 * r + 2]!);
          dV[2 * r + 1] = endTime * (dValueMap[3 * r + 1]! - dTraceY[3 * r + 2]!);
          dEndTime += dV[2 * r]! * out.weight[2 * r]! + dV[2 * r + 1]! * out.weight[2 * r + 1]!;
        }
        dEndTime /= endTime;
        const dc = Float32Array.of(endTime * dBias[0]!, endTime * dBias[1]!);
        dEndTime += dBias[0]! * out.bias[0]! + dBias[1]! * out.bias[1]!;
        const unfolded = unfold(layers[last]!, out, s, dV, dc);
        grads[last] = unfolded.grads;
        ds += unfolded.ds;

        let dSigma: Tensor = tf.matMul(g, upload(transposed(valueMap, outWidth, 3), 3, outWidth));
        let dJx: Tensor = tf.matMul(g, upload(transposed(traceMapX, outWidth, 3), 3, outWidth));
        let dJy: Tensor = tf.matMul(g, upload(transposed(traceMapY, outWidth, 3), 3, outWidth));
        for (let i = last - 1; i >= 0; i--) {
          const slot = hiddenSlots[i]!;
          const { inputs, outputs } = layers[i]!;
          const sigma = saved[slot.sigma]!;
          const q = saved[slot.q]!;
          const dPx = tf.mul(dJx, q);
          const dPy = tf.mul(dJy, q);
          const dq = tf.add(tf.mul(dJx, saved[slot.px]!), tf.mul(dJy, saved[slot.py]!));
          // σ' = q and ∂q/∂σ = 1 − 2σ.
          const da = tf.mul(q, tf.add(dSigma, tf.mul(dq, tf.sub(1, tf.mul(sigma, 2)))));
          const dc = columnSums(da);
          const f = folded[i]!;
          let dV: Float32Array;
          if (i === 0) {
            const dPadded = xTimes(saved[slot.x]!, da);
            dV = dPadded.slice(0, 2 * outputs);
            const rowX = columnSums(dPx);
            const rowY = columnSums(dPy);
            for (let j = 0; j < outputs; j++) {
              dV[j]! += rowX[j]!;
              dV[outputs + j]! += rowY[j]!;
            }
            dy0 = tf.matMul(da, upload(transposed(firstPadded, 3, outputs), outputs, 3));
          } else {
            dV = xTimes(saved[slot.x]!, da);
            const fromX = xTimes(saved[slot.jx]!, dPx);
            const fromY = xTimes(saved[slot.jy]!, dPy);
            for (let k = 0; k < dV.length; k++) dV[k]! += fromX[k]! + fromY[k]!;
            const weightT = upload(transposed(f.weight, inputs, outputs), outputs, inputs);
            dSigma = tf.matMul(da, weightT);
            dJx = tf.matMul(dPx, weightT);
            dJy = tf.matMul(dPy, weightT);
          }
          const unfolded = unfold(layers[i]!, f, s, dV, dc);
          grads[i] = unfolded.grads;
          ds += unfolded.ds;
        }
      }
      // s = τ·T and T = sqrtEndTime².
      dEndTime += tau * ds;
      const paramGrads = grads.flatMap((layerGrads, i) =>
        layerGrads.map((data, k) => (k === 0 ? tf.tensor2d(data, [layers[i]!.inputs, layers[i]!.outputs]) : tf.tensor1d(data))),
      );
      return [dy0!, ...paramGrads, tf.scalar(2 * sqrtEndTime * dEndTime)];
    });
  return { value, gradFunc };
}
