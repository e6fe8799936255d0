import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { tableToIPC, type Table } from "apache-arrow";
import type { DatasetHandle } from "../data/dataset-handle.js";
import { toJsonSafe } from "../util/json-safe.js";

/** The sha256 of a file's bytes, streamed (the file is never held in memory whole). */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * A fingerprint of a dataset's content, for data given in `sources` (it has no producer to derive a
 * version from): Arrow IPC bytes for a table, a DuckDB-side hash for a relation, the rows' JSON otherwise.
 */
export async function fingerprintDataset(handle: DatasetHandle): Promise<string> {
  const hash = createHash("sha256").update("linea-source-1/");
  switch (handle.form) {
    case "arrow":
      hash.update(tableToIPC((await handle.valueIn("arrow")) as Table, "stream"));
      break;
    case "duckdb": {
      const relation = await handle.valueIn("duckdb");
      const schema = await handle.schema();
      const digest = await relation.run.engine.withConnection(async (c) => {
        const reader = await c.runAndReadAll(`SELECT count(*), bit_xor(hash(t)), sum(hash(t)::HUGEINT) FROM ${relation.ref} AS t`);
        return JSON.stringify(reader.getRowsJson()[0]);
      });
      hash.update(JSON.stringify(schema)).update(digest);
      break;
    }
    case "rows":
    case "danfo":
      hash.update(JSON.stringify(toJsonSafe(await handle.valueIn("rows"))));
      break;
  }
  return hash.digest("hex");
}
