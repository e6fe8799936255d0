// The run body of customer.yaml's danfo step (the same as steps/transform.ts's categoryShare step runs):
// each category-segment's share of all revenue, and a flag for the big ones.
import type { DataFrame } from "danfojs-node";
import type { StepContext } from "../../src/index.js";

/** Adds `share` (of all revenue, 4 decimals) and `big` (share above `params.bigShare`). */
export function categoryShare({ df }: { df: DataFrame }, ctx: StepContext): DataFrame {
  const total = df["revenue"].sum() as number;
  df.addColumn("share", df["revenue"].div(total).round(4), { inplace: true });
  df.addColumn("big", df["share"].gt(ctx.params.bigShare as number), { inplace: true });
  return df;
}

/** Not a function: for the loader's "has no function export" test. */
export const notAFunction = { name: "category_share", run: categoryShare };
