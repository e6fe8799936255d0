import type { StoredResult } from "../cache/stored-output.js";
import { FolderCheckpointStore } from "./folder-checkpoint-store.js";
import type { LoadedCheckpoint, RunCheckpoint } from "./run-checkpoint.js";

export { CHECKPOINT_STATUSES, CheckpointNotFoundError, NothingToResumeError } from "./run-checkpoint.js";
export type { CheckpointStatus, LoadedCheckpoint, RunCheckpoint } from "./run-checkpoint.js";

/**
 * Where runs keep their checkpoints: a manifest per run ({@link RunCheckpoint}) and a record per succeeded
 * step (its {@link StoredResult}, which points at objects of the object store). A run writes its manifest
 * when it starts and ends, and records each step as it succeeds (or is reused); `linea resume` loads them.
 *
 * The contract: a `load` after any crash sees only whole records (each manifest write and each node record
 * is atomic), the latest record of a step wins, and `flush` resolves once everything written so far is
 * durable. An implementation may batch node records (an append-only log per run, say) as long as `flush`
 * and the manifest write of a finished run make them durable.
 *
 * Implementations: `FolderCheckpointStore` (the default, `.linea/checkpoints`: a folder per run, its manifest
 * and one append-only log of step records), the tests' in-memory one.
 */
export interface CheckpointStore {
  /** Where the checkpoints are, for messages. */
  readonly location: string;
  /** Writes (or replaces) a run's manifest. */
  write(run: RunCheckpoint): Promise<void>;
  /** Records one step's stored result in a run's checkpoint (replacing an earlier record of that step). */
  recordNode(runId: string, result: StoredResult): Promise<void>;
  /** Resolves once every record written so far is durable. */
  flush(): Promise<void>;
  /** A run's manifest and step records. @throws CheckpointNotFoundError when the run has none. */
  load(runId: string): Promise<LoadedCheckpoint>;
  /** Every run's manifest, newest first. */
  list(): Promise<RunCheckpoint[]>;
  /**
   * Deletes a run's checkpoint, its manifest first (a removal cut short leaves no checkpoint that `list` or
   * `load` finds). Stores without it keep every checkpoint. Removing one that is not there is no error.
   */
  remove?(runId: string): Promise<void>;
}

/**
 * `new CheckpointStore(dir)` still makes the folder store, as it did when `CheckpointStore` was that class:
 * the name is both the interface (a type) and this constructor (a value).
 */
export const CheckpointStore: new (dir: string) => FolderCheckpointStore & CheckpointStore = FolderCheckpointStore;
