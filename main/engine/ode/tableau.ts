/**
 * An explicit Runge–Kutta method as data: the stepper runs any of these, so adding a method
 * never adds stepping code.
 */
export interface ButcherTableau {
  readonly name: string;
  /** Order of the solution weights; step control uses 1/order as its exponent. */
  readonly order: number;
  /** Nodes: stage i is evaluated at t0 + c[i] * h. c[0] = 0. */
  readonly c: readonly number[];
  /** Strictly lower triangular: row i holds the i weights of stages 0..i-1 (row 0 is empty). */
  readonly a: readonly (readonly number[])[];
  /** Solution weights, one per stage. */
  readonly b: readonly number[];
  /** b minus the embedded solution's weights; only adaptive methods have them. */
  readonly errorWeights?: readonly number[];
  /** Weights with y(t0 + h/2) ≈ y0 + h Σ mid[i] k[i]; they make dense output quartic. */
  readonly midWeights?: readonly number[];
  /**
   * Derived: the last stage is evaluated at (t1, y1), so its derivative is the next step's first
   * stage ("first same as last") and the new state needs no extra combination.
   */
  readonly fsal: boolean;
}

export type TableauData = Omit<ButcherTableau, 'fsal'>;

function freezeRows(rows: readonly (readonly number[])[]): readonly (readonly number[])[] {
  return Object.freeze(rows.map((row) => Object.freeze([...row])));
}

/** Checks the shape once, so the stepper can index without guarding. */
export function defineTableau(data: TableauData): ButcherTableau {
  const s = data.c.length;
  const shapeError = (what: string): Error => new Error(`tableau ${data.name}: ${what}`);
  if (s < 1) throw shapeError('needs at least one stage');
  if (data.c[0] !== 0) throw shapeError('c[0] must be 0');
  if (data.a.length !== s) throw shapeError(`a needs ${s} rows`);
  data.a.forEach((row, i) => {
    if (row.length !== i) throw shapeError(`row ${i} of a needs ${i} entries`);
  });
  if (data.b.length !== s) throw shapeError(`b needs ${s} entries`);
  if (data.errorWeights && data.errorWeights.length !== s) throw shapeError(`errorWeights needs ${s} entries`);
  if (data.midWeights && data.midWeights.length !== s) throw shapeError(`midWeights needs ${s} entries`);

  const last = data.a[s - 1]!;
  const fsal =
    s > 1 && data.c[s - 1] === 1 && data.b[s - 1] === 0 && last.every((aij, j) => aij === data.b[j]);

  return Object.freeze({
    name: data.name,
    order: data.order,
    c: Object.freeze([...data.c]),
    a: freezeRows(data.a),
    b: Object.freeze([...data.b]),
    ...(data.errorWeights ? { errorWeights: Object.freeze([...data.errorWeights]) } : {}),
    ...(data.midWeights ? { midWeights: Object.freeze([...data.midWeights]) } : {}),
    fsal,
  });
}
