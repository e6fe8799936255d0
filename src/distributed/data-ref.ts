import { loadStoredData } from "../cache/store-output.js";
import { FileVersions } from "../cache/file-versions.js";
import type { StoredObject } from "../cache/object-store.js";
import type { StoredOutput } from "../cache/stored-output.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { SharedObjects } from "../stores/shared-objects.js";
import type { DataRef } from "./step-job.js";

/** The reference a job carries for a stored output. */
export function toDataRef(stored: StoredOutput, object: StoredObject): DataRef {
  return { object, rowCount: stored.rowCount, schema: stored.schema, sample: stored.sample };
}

/** Brings a referenced object to this machine (checked by sha256) and loads it: Parquet into DuckDB, Arrow as a Table. */
export async function loadRef(ref: DataRef, objects: SharedObjects, runtime: DataRuntime): Promise<unknown> {
  await objects.fetch(ref.object);
  const stored: StoredOutput = { dataVersion: ref.object.sha256, data: { kind: "object", object: ref.object }, rowCount: ref.rowCount, schema: ref.schema, sample: ref.sample };
  const loaded = await loadStoredData(stored, { kind: "sql", sql: "" }, { store: objects.local, fileVersions: new FileVersions(objects.local.dir), runtime });
  return loaded.value;
}
