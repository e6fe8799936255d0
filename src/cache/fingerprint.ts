import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { Table } from "apache-arrow";
import type { DataMap } from "../data/data-map.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import { adapterFor } from "../data/form-adapters.js";
import { toJsonSafe } from "../util/json-safe.js";

/**
 * The bytes hashed between two turns of the event loop: about 0.2 ms of work. A source file is hashed while
 * the run starts (the SQL check, reads started ahead); with 4 MiB chunks (3.5 ms each) every step of that
 * start waited behind a chunk, and the start of a run hashing a 186 MB CSV took 170 ms instead of 40. As
 * fast to hash: 130-145 ms for that CSV, against 140-150 with 4 MiB.
 */
const HASH_CHUNK_BYTES = 256 * 1024;

/**
 * The sha256 of a file's bytes, read in chunks into one reused buffer (faster than a stream or one big
 * read: no large allocation), without blocking the event loop between chunks.
 */
export async function hashFile(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const hash = createHash("sha256");
    // Sized to the file, at most HASH_CHUNK_BYTES: most stored objects are small (a fresh large buffer per small
    // file was a large share of a many-step run's garbage collection).
    const { size } = await file.stat();
    const chunk = Math.max(1, Math.min(size, HASH_CHUNK_BYTES));
    let current = Buffer.allocUnsafe(chunk);
    // A file larger than one chunk reads its next chunk (on the thread pool) while this one is hashed.
    let next = size > chunk ? Buffer.allocUnsafe(chunk) : undefined;
    let reading = file.read(current, 0, chunk, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const full = current;
      if (next !== undefined) {
        current = next;
        next = full;
        reading = file.read(current, 0, chunk, null);
        hash.update(full.subarray(0, bytesRead));
      } else {
        hash.update(full.subarray(0, bytesRead));
        reading = file.read(current, 0, chunk, null);
      }
    }
    return hash.digest("hex");
  } finally {
    await file.close();
  }
}

/**
 * A fingerprint of a dataset's content, for data given in `sources` (it has no producer to derive a
 * version from): Arrow IPC bytes for a table, a digest of its own for a form that makes one (DuckDB: a hash
 * query), the rows' JSON otherwise.
 */
export async function fingerprintDataset(handle: DatasetHandle): Promise<string> {
  const hash = createHash("sha256").update("linea-source-1/");
  switch (handle.form) {
    case "arrow":
      // Arrow is imported only for an Arrow table: a run that never holds one never loads it.
      hash.update((await import("apache-arrow")).tableToIPC((await handle.valueIn("arrow")) as Table, "stream"));
      break;
    case "value":
      hash.update("value/").update(JSON.stringify(await handle.valueIn("value")));
      break;
    default: {
      // A form that digests its own data where it is held (DuckDB: a hash query), else the rows' JSON.
      const adapter = adapterFor(handle.form as string);
      if (adapter.fingerprint !== undefined) {
        const digest = await adapter.fingerprint(await handle.valueIn(handle.form));
        hash.update(JSON.stringify(await handle.schema())).update(digest);
      } else {
        hash.update(JSON.stringify(toJsonSafe(await handle.valueIn("rows"))));
      }
      break;
    }
  }
  return hash.digest("hex");
}

/** The version of each of the plan's sources held in `dataMap`: its handle's, or its fingerprint (then kept on the handle). */
export async function sourceVersionsOf(planned: PlannedPipeline, dataMap: DataMap): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const name of planned.plan.sources) {
    const handle = dataMap.handle(name);
    if (handle === undefined) continue;
    handle.version ??= await fingerprintDataset(handle);
    versions.set(name, handle.version);
  }
  return versions;
}
