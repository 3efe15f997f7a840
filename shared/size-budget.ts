/** A setting a size budget may lower (main/engine/pipeline/fit-under-budget.ts), in the order it lowers them. */
export const budgetSettings = ['quality', 'fps', 'size'] as const;
export type BudgetSetting = (typeof budgetSettings)[number];

export interface BudgetChange {
  readonly setting: BudgetSetting;
  readonly from: number;
  readonly to: number;
}

/** How a size-limited export went: what it changed to fit, and how many files it encoded. */
export interface BudgetFit {
  readonly maxBytes: number;
  readonly changes: readonly BudgetChange[];
  /** Full encodes, the accepted one included (size estimates not counted). */
  readonly encodes: number;
}

/** "quality 90 → 70, 20 → 12 fps, 1080 → 656 px", or "nothing changed": the CLI and the app say it alike. */
export function describeBudgetChanges(changes: readonly BudgetChange[]): string {
  if (changes.length === 0) return 'nothing changed';
  return changes
    .map(({ setting, from, to }) => (setting === 'quality' ? `quality ${from} → ${to}` : setting === 'fps' ? `${from} → ${to} fps` : `${from} → ${to} px`))
    .join(', ');
}

/** The limits the export dialog offers under "Fit under", in bytes: the places people post to. */
export const budgetChoices: readonly number[] = [2_000_000, 5_000_000, 8_000_000, 10_000_000, 15_000_000, 25_000_000, 50_000_000];
