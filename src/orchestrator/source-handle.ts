import { DatasetHandle } from "../data/dataset-handle.js";
import { adapterFor, describeValue, detectForm } from "../data/form-adapters.js";
import type { DataRuntime } from "../data/form-adapter.js";
import { InvalidOptionsError } from "../errors/linea-error.js";
import type { DatasetValue } from "../step/step.js";
import { isValidName } from "../step/validate-step.js";
import { q } from "../util/quote.js";

/** A handle of a dataset given in `sources`. @throws InvalidOptionsError for a bad name or a value of no known form. */
export async function sourceHandle(name: string, value: DatasetValue, runtime: DataRuntime): Promise<DatasetHandle> {
  if (!isValidName(name)) {
    throw new InvalidOptionsError("sources", `Invalid source name ${q(name)}: use letters, digits, "_", "." and "-".`);
  }
  if (value instanceof DatasetHandle) return value.renamed(name, value.version);
  const form = detectForm(value);
  if (form === undefined) {
    throw new InvalidOptionsError(
      "sources",
      `Source ${q(name)} is ${describeValue(value)}; pass rows (an array of objects), an Arrow Table, a danfo DataFrame or a DuckDB relation.`,
    );
  }
  return DatasetHandle.of(name, form, value, runtime, { rowCount: await adapterFor(form).rowCount(value as never, runtime) });
}
