import { weightLayout, type FfjordArchitecture } from '../train/ffjord-network.js';
import { EXPORT_FORMAT_VERSION } from './field-graph.js';
import { GraphBuilder, encodeOnnxModel, type OnnxAttribute, type OnnxValueInfo } from './onnx-model.js';

/**
 * FFJORD's right-hand side for training on onnxruntime, the same maths as ffjord-dynamics.ts:
 * on the state y = [z, Δlogp] ([n, 3]) at solver time τ ∈ [0, 1],
 *   dy/dτ = T·[f(z, τT), −tr ∂f/∂z],  T = sqrtEndTime².
 * The 2×2 Jacobian is carried forward through the layers beside the values, its two rows
 * stacked as one [2n, width] block (∂/∂z_x over ∂/∂z_y), so each layer is two products and
 * the trace is exact with first-order derivatives only.
 *
 * Two graphs: the right-hand side, and its vector-Jacobian product. The second recomputes the
 * forward pass and runs the backward pass derived here by hand: given the cotangent ȳ of dy/dτ
 * it gives ȳ·∂(dy/dτ)/∂y and the gradient of every parameter, which is all that
 * backpropagation through the solver's stages (solver-tape.ts) asks of the network. Weights
 * are inputs, named as weightLayout(), so one session serves every step of a training run.
 */
export const DYNAMICS_STATE = 'y';
export const DYNAMICS_TAU = 'tau';
export const DYNAMICS_OUT = 'dy_dtau';
export const VJP_COTANGENT = 'cotangent';
export const VJP_STATE_GRAD = 'y.grad';
/** The gradient output for a weight input. */
export const gradName = (weight: string): string => `${weight}.grad`;

export interface FfjordDynamicsOptions {
  /** Also the vector-Jacobian product (the second graph). */
  readonly vjp: boolean;
  /**
   * Two more state columns, Finlay et al.'s penalties as integrals: the kinetic energy
   * d/dτ = T·‖f‖² and the Jacobian's Frobenius norm d/dτ = T·‖∂f/∂z‖²_F, exact in 2-D.
   */
  readonly penalties: boolean;
}

/** Columns of the state: z_x, z_y, Δlogp, and with penalties the two integrals. */
export const stateWidth = (penalties: boolean): number => (penalties ? 5 : 3);

export function encodeFfjordDynamics(architecture: FfjordArchitecture, options: FfjordDynamicsOptions): Uint8Array {
  const { vjp: withVjp, penalties } = options;
  const width = stateWidth(penalties);
  const g = new GraphBuilder();
  const { widths } = architecture;
  const layout = weightLayout(architecture);
  const last = widths.length - 2;
  const keep0: OnnxAttribute[] = [{ name: 'keepdims', type: 'int', value: 0 }];
  const transA: OnnxAttribute[] = [{ name: 'transA', type: 'int', value: 1 }];
  const transB: OnnxAttribute[] = [{ name: 'transB', type: 'int', value: 1 }];
  const axis0: OnnxAttribute[] = [{ name: 'axis', type: 'int', value: 0 }];
  const axis1: OnnxAttribute[] = [{ name: 'axis', type: 'int', value: 1 }];
  const rowsAxis = g.ints('rows_axis', [1], [0]);
  const one = g.floats('one', [], [1]);
  const sumRows = (x: string): string => g.op('ReduceSum', [x, rowsAxis], { attributes: keep0 });
  const sumAll = (x: string): string => g.op('ReduceSum', [x], { attributes: keep0 });
  const colsAxis = g.ints('cols_axis', [1], [1]);
  const cols = (x: string, from: number, to: number): string =>
    g.op('Slice', [x, g.ints(`cols_from_${from}_${g.nodes.length}`, [1], [from]), g.ints(`cols_to_${to}_${g.nodes.length}`, [1], [to]), colsAxis]);
  const stacked = (x: string): string => g.op('Concat', [x, x], { attributes: axis0 });
  const param = (i: number, key: string): string => `layer${i}.${key}`;

  const endTime = g.op('Mul', ['sqrtEndTime', 'sqrtEndTime']);
  const s = g.op('Mul', [DYNAMICS_TAU, endTime]);
  const z = cols(DYNAMICS_STATE, 0, 2);
  // The Jacobian of z itself, [2n, 2]: rows (1, 0) then (0, 1). It also picks the diagonal out for the trace.
  const zShape = g.op('Shape', [z]);
  // [2n, k] → [n, k], each point's two Jacobian rows added; n only known at run time.
  const n = g.op('Slice', [zShape, g.ints('shape_from', [1], [0]), g.ints('shape_to', [1], [1])]);
  const sumHalves = (x: string): string =>
    g.op('Add', [g.op('Slice', [x, g.ints(`top_from_${g.nodes.length}`, [1], [0]), n, rowsAxis]), g.op('Slice', [x, n, g.ints(`bottom_to_${g.nodes.length}`, [1], [2 ** 62]), rowsAxis])]);
  const identity = g.op('Concat', [g.op('Expand', [g.floats('unit_x', [1, 2], [1, 0]), zShape]), g.op('Expand', [g.floats('unit_y', [1, 2], [0, 1]), zShape])], {
    attributes: axis0,
  });

  interface Layer {
    readonly x: string;
    readonly jacobian: string;
    readonly value: string;
    readonly valueJacobian: string;
    readonly gate: string;
    /** tanh of the pre-activation and 1 − tanh², for hidden layers. */
    readonly h?: string;
    readonly q?: string;
    readonly preJacobian: string;
  }
  const layers: Layer[] = [];
  let x = z;
  let jacobian = identity;
  let f = '';
  let fJacobian = '';
  for (let i = 0; i <= last; i++) {
    const weight = param(i, 'weight');
    const gate = g.op('Sigmoid', [g.op('Add', [g.op('Mul', [param(i, 'gateWeight'), s]), param(i, 'gateBias')])]);
    const value = g.op('Gemm', [x, weight, param(i, 'bias')]);
    const valueJacobian = g.op('MatMul', [jacobian, weight]);
    const pre = g.op('Add', [g.op('Mul', [value, gate]), g.op('Mul', [param(i, 'hyperBias'), s])]);
    const preJacobian = g.op('Mul', [valueJacobian, gate]);
    if (i < last) {
      const h = g.op('Tanh', [pre]);
      const q = g.op('Sub', [one, g.op('Mul', [h, h])]);
      layers.push({ x, jacobian, value, valueJacobian, gate, h, q, preJacobian });
      x = h;
      jacobian = g.op('Mul', [preJacobian, stacked(q)]);
    } else {
      layers.push({ x, jacobian, value, valueJacobian, gate, preJacobian });
      f = pre;
      fJacobian = preJacobian;
    }
  }
  // tr ∂f/∂z = ∂f_x/∂z_x + ∂f_y/∂z_y: the identity's mask keeps each row's own column.
  const keep1: OnnxAttribute[] = [{ name: 'keepdims', type: 'int', value: 1 }];
  const trace = sumHalves(g.op('ReduceSum', [g.op('Mul', [fJacobian, identity]), colsAxis], { attributes: keep1 }));
  const minusEndTime = g.op('Neg', [endTime]);
  const kinetic = penalties ? g.op('ReduceSum', [g.op('Mul', [f, f]), colsAxis], { attributes: keep1 }) : '';
  const frobenius = penalties ? sumHalves(g.op('ReduceSum', [g.op('Mul', [fJacobian, fJacobian]), colsAxis], { attributes: keep1 })) : '';
  const columns = [g.op('Mul', [f, endTime]), g.op('Mul', [trace, minusEndTime]), ...(penalties ? [g.op('Mul', [kinetic, endTime]), g.op('Mul', [frobenius, endTime])] : [])];
  g.op('Concat', columns, { attributes: axis1, output: DYNAMICS_OUT });

  const float = (name: string, shape: ReadonlyArray<number | string>): OnnxValueInfo => ({ name, dataType: 'float', shape });
  const inputs: OnnxValueInfo[] = [float(DYNAMICS_STATE, ['N', width]), float(DYNAMICS_TAU, []), ...layout.map((w) => float(w.name, w.shape))];
  const outputs: OnnxValueInfo[] = [float(DYNAMICS_OUT, ['N', width])];

  if (withVjp) {
    inputs.push(float(VJP_COTANGENT, ['N', width]));
    const barF = cols(VJP_COTANGENT, 0, 2);
    const barTrace = cols(VJP_COTANGENT, 2, 3);
    // dy/dτ = T·[f, −tr]: T's share, and the cotangents of f and of the trace.
    let barEndTime = g.op('Sub', [sumAll(g.op('Mul', [barF, f])), sumAll(g.op('Mul', [barTrace, trace]))]);
    let barPre = g.op('Mul', [barF, endTime]);
    let barPreJacobian = g.op('Mul', [identity, stacked(g.op('Mul', [barTrace, minusEndTime]))]);
    if (penalties) {
      // T·‖f‖² and T·‖J‖²_F: 2T·f and 2T·J times their cotangents, and T's share.
      const barKinetic = cols(VJP_COTANGENT, 3, 4);
      const barFrobenius = cols(VJP_COTANGENT, 4, 5);
      const twoEndTime = g.op('Mul', [endTime, g.floats('two_penalty', [], [2])]);
      barEndTime = g.op('Add', [barEndTime, g.op('Add', [sumAll(g.op('Mul', [barKinetic, kinetic])), sumAll(g.op('Mul', [barFrobenius, frobenius]))])]);
      barPre = g.op('Add', [barPre, g.op('Mul', [f, g.op('Mul', [barKinetic, twoEndTime])])]);
      barPreJacobian = g.op('Add', [barPreJacobian, g.op('Mul', [fJacobian, stacked(g.op('Mul', [barFrobenius, twoEndTime]))])]);
    }
    let barS = '';
    let barZ = '';
    for (let i = last; i >= 0; i--) {
      const layer = layers[i]!;
      const weight = param(i, 'weight');
      // a = u·g + h_w·s and its Jacobian uJ·g, with u = x·W + b and uJ = J·W.
      const barGate = g.op('Add', [sumRows(g.op('Mul', [barPre, layer.value])), sumRows(g.op('Mul', [barPreJacobian, layer.valueJacobian]))]);
      const barValue = g.op('Mul', [barPre, layer.gate]);
      const barValueJacobian = g.op('Mul', [barPreJacobian, layer.gate]);
      g.op('Add', [g.op('Gemm', [layer.x, barValue], { attributes: transA }), g.op('Gemm', [layer.jacobian, barValueJacobian], { attributes: transA })], {
        output: gradName(weight),
      });
      g.op('Identity', [sumRows(barValue)], { output: gradName(param(i, 'bias')) });
      const barPreSum = sumRows(barPre);
      g.op('Mul', [barPreSum, s], { output: gradName(param(i, 'hyperBias')) });
      // σ' = σ(1 − σ) for the gate's pre-activation g_w·s + g_b.
      const barGatePre = g.op('Mul', [barGate, g.op('Mul', [layer.gate, g.op('Sub', [one, layer.gate])])]);
      g.op('Mul', [barGatePre, s], { output: gradName(param(i, 'gateWeight')) });
      g.op('Identity', [barGatePre], { output: gradName(param(i, 'gateBias')) });
      const layerBarS = g.op('Add', [sumAll(g.op('Mul', [barPreSum, param(i, 'hyperBias')])), sumAll(g.op('Mul', [barGatePre, param(i, 'gateWeight')]))]);
      barS = barS === '' ? layerBarS : g.op('Add', [barS, layerBarS]);
      const barX = g.op('Gemm', [barValue, weight], { attributes: transB });
      if (i === 0) {
        barZ = barX;
        break;
      }
      // Through the tanh below: x = h, J = J_pre·q with q = 1 − h², so ∂q/∂h = −2h.
      const below = layers[i - 1]!;
      const barJacobian = g.op('Gemm', [barValueJacobian, weight], { attributes: transB });
      const barQ = sumHalves(g.op('Mul', [barJacobian, below.preJacobian]));
      barPreJacobian = g.op('Mul', [barJacobian, stacked(below.q!)]);
      const barH = g.op('Add', [barX, g.op('Mul', [barQ, g.op('Mul', [below.h!, g.floats(`minus_two_${i}`, [], [-2])])])]);
      barPre = g.op('Mul', [barH, below.q!]);
    }
    // s = τ·T and T = sqrtEndTime².
    barEndTime = g.op('Add', [barEndTime, g.op('Mul', [barS, DYNAMICS_TAU])]);
    g.op('Mul', [barEndTime, g.op('Mul', ['sqrtEndTime', g.floats('two', [], [2])])], { output: gradName('sqrtEndTime') });
    // Δlogp and the penalties do not enter the network: their columns of the state's gradient are zero.
    g.op('Concat', [barZ, g.op('Mul', [cols(VJP_COTANGENT, 2, width), g.floats('zero', [], [0])])], { attributes: axis1, output: VJP_STATE_GRAD });
    outputs.push(float(VJP_STATE_GRAD, ['N', width]), ...layout.map((w) => float(gradName(w.name), w.shape)));
  }

  const what = withVjp ? 'right-hand side and its vector-Jacobian product' : 'right-hand side';
  const doc = `FlowGIF FFJORD training: the ${what}, ConcatSquash tanh network [${widths.join(', ')}], exact trace${penalties ? ', kinetic and Jacobian penalties' : ''}.`;
  return encodeOnnxModel({
    producerName: 'FlowGIF',
    producerVersion: EXPORT_FORMAT_VERSION,
    doc,
    graph: { name: withVjp ? 'flowgif_ffjord_dynamics_vjp' : 'flowgif_ffjord_dynamics', nodes: g.nodes, initializers: g.initializers, inputs, outputs, doc },
  });
}
