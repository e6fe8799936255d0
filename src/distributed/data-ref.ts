import { loadStoredData, storedForm } from "../cache/store-output.js";
import { FileVersions } from "../cache/file-versions.js";
import type { StoredOutput } from "../cache/stored-output.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { SharedObjects } from "../stores/shared-objects.js";
import { q } from "../util/quote.js";

/** Brings a stored object to this machine (checked by sha256) and loads it: Parquet into DuckDB, Arrow as a Table, JSON as a value. */
export async function loadShared(stored: StoredOutput, objects: SharedObjects, runtime: DataRuntime): Promise<unknown> {
  if (stored.data.kind !== "object" && stored.data.kind !== "inline") throw new Error(`stored data of kind ${q(stored.data.kind)} cannot travel between machines (a bug in linea)`);
  // Inline data came with its reference (checked against its sha256 as it is loaded); an object is fetched first.
  if (stored.data.kind === "object") await objects.fetch(stored.data.object);
  const loaded = await loadStoredData(stored, { kind: "sql", sql: "" }, { store: objects.local, fileVersions: new FileVersions(objects.local.dir), runtime });
  return loaded.value;
}

/** A handle of a dataset held in the shared store: its probes at hand, its data fetched when something reads it. */
export function sharedHandle(dataset: string, stored: StoredOutput, objects: SharedObjects, runtime: DataRuntime): DatasetHandle {
  return DatasetHandle.stored(dataset, storedForm(stored), () => loadShared(stored, objects, runtime), stored, runtime, stored.dataVersion);
}
