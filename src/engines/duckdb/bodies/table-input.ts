import type { DatasetHandle } from "../../../data/dataset-handle.js";
import { ValueNotTableError } from "../../../data/forms/value-form.js";
import { q } from "../../../util/quote.js";
import type { BodyContext } from "../../engine.js";

/**
 * The handle of an input a step reads as a table (SQL, a write): a value dataset is refused with a
 * `ValueNotTableError` that names the step, before anything runs.
 */
export async function tableInput(ctx: BodyContext, dataset: string): Promise<DatasetHandle> {
  const handle = ctx.input(dataset);
  if (handle.kind === "value") throw new ValueNotTableError(dataset, await handle.value(), `${ctx.spec.body.kind} step ${q(ctx.spec.name)}`);
  return handle;
}
