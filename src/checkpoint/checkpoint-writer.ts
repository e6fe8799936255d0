import type { StoredResult } from "../cache/stored-output.js";
import { errorMessage } from "../util/error-message.js";
import { PendingWork } from "../util/pending-work.js";
import { q } from "../util/quote.js";
import type { CheckpointStore } from "./checkpoint-store.js";
import type { CheckpointStatus, RunCheckpoint } from "./run-checkpoint.js";

/** What a run's manifest says besides its status and time. */
export type ManifestBase = Omit<RunCheckpoint, "status" | "updated">;

/**
 * Keeps one run's checkpoint by observing it: the manifest when the run starts (`running`) and when it
 * ends, and a record per step whose result is kept or reused (it listens to the result keeper). Best-effort:
 * a failure is a warning. The final manifest is written only after every record (and {@link CheckpointStore.flush}),
 * so a manifest that says the run ended never points at records that are not there.
 */
export class CheckpointWriter {
  private readonly pending = new PendingWork();

  constructor(
    private readonly store: CheckpointStore,
    private readonly manifest: ManifestBase,
    private readonly warn: (message: string) => void,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Writes the `running` manifest. */
  start(): Promise<void> {
    return this.writeManifest("running");
  }

  /** Records a step's kept (or reused) result, in the background. */
  record(result: StoredResult): void {
    let work: Promise<void>;
    try {
      work = this.store.recordNode(this.manifest.runId, result);
    } catch (error) {
      work = Promise.reject(error);
    }
    this.pending.add(work, (error) => this.warn(`cache could not checkpoint step ${q(result.step)}: ${errorMessage(error)}`));
  }

  /** Waits for every record, then writes the final manifest. */
  async finish(status: Exclude<CheckpointStatus, "running">): Promise<void> {
    await this.pending.settled();
    await this.store.flush().catch((error: unknown) => this.warn(`could not flush the checkpoint of run ${this.manifest.runId}: ${errorMessage(error)}`));
    await this.writeManifest(status);
  }

  private async writeManifest(status: CheckpointStatus): Promise<void> {
    await this.store.write({ ...this.manifest, status, updated: this.now() })
      .catch((error: unknown) => this.warn(`could not write the checkpoint of run ${this.manifest.runId}: ${errorMessage(error)}`));
  }
}
