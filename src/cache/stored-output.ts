import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { Column } from "../data/dataset.js";
import type { StoredObject } from "./object-store.js";

/**
 * Where a stored output's data is: an object of the store, (for a read step) its source file by content
 * hash, (for a small output held as rows or a value) inline: the JSON value itself with the sha256 of its
 * JSON text, checked before it is read; or nowhere, to be recomputed from its step's inputs.
 */
export type StoredData =
  | { readonly kind: "object"; readonly object: StoredObject }
  | { readonly kind: "inline"; readonly format: "rows" | "json"; readonly value: unknown; readonly sha256: string }
  /** Not kept (the persistence policy judged it cheaper to recompute): its step runs again when something needs it. */
  | { readonly kind: "recompute"; readonly reason: string }
  | { readonly kind: "source-file"; readonly path: string; readonly sha256: string; readonly size: number; readonly mtimeMs: number };

/** One output of a step as the cache and checkpoints keep it: its data, version and probes. */
export interface StoredOutput {
  readonly dataVersion: string;
  readonly data: StoredData;
  readonly rowCount: number;
  readonly schema: readonly Column[];
  /** The first rows, JSON-safe (so snapshots of a reused step need not read the data). */
  readonly sample: ReadonlyArray<Record<string, unknown>>;
}

/** What a write step wrote, to tell on the next run whether the file is still the one it wrote. */
export interface WrittenFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

/** A step's stored result: what the cache keeps per key, and a checkpoint per succeeded step. */
export interface StoredResult {
  readonly key: string;
  readonly step: string;
  readonly outputs: Readonly<Record<string, StoredOutput>>;
  readonly written?: WrittenFile;
  /** The step's column lineage as recorded when it ran: a reused step reports this, never a re-derived one. */
  readonly columnLineage?: StepColumnLineage;
}

/** How one output of a run was kept, or why not: the run's log of what the cache and checkpoint hold. */
export interface PersistedOutput {
  readonly dataset: string;
  readonly step: string;
  /**
   * `object` (written to the object store), `inline` (in its record), `source-file` (a read step's file),
   * `written-file` (the Parquet file a write step wrote), or `recompute` (not kept).
   */
  readonly kept: "object" | "inline" | "source-file" | "written-file" | "recompute";
  readonly reason: string;
}
