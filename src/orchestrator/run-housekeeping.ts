import { dirname, resolve } from "node:path";
import { FolderCacheIndex } from "../cache/folder-cache-index.js";
import { FolderObjectStore } from "../cache/folder-object-store.js";
import { trimLocalCopies } from "../stores/trim-local-copies.js";
import { FolderCheckpointStore } from "../checkpoint/folder-checkpoint-store.js";
import { DuckDBHistoryStore } from "../history/duckdb-history-store.js";
import { errorMessage } from "../util/error-message.js";
import { LINEA_DIR } from "../util/default-paths.js";
import { STALE_TEMP_MS, sweepTempFiles, type TempFolder } from "../util/sweep-temp-files.js";
import type { RunServices } from "./create-run-services.js";

/**
 * linea's local folders among a run's stores, each as deep as linea writes in it: where its atomic writes
 * leave temporary files when a process dies. (`.linea/` holds the default stores: cache/keys/ab/, checkpoints/<run>/nodes/.)
 */
export function lineaFolders(services: RunServices, baseDir: string): TempFolder[] {
  const home = resolve(baseDir, LINEA_DIR);
  const folders: TempFolder[] = [{ dir: home, depth: 4 }];
  if (services.index instanceof FolderCacheIndex) folders.push({ dir: services.index.dir, depth: 2 });
  if (services.fileVersions !== undefined) folders.push({ dir: resolve(services.fileVersions.dir), depth: 1 });
  if (services.checkpoints instanceof FolderCheckpointStore) folders.push({ dir: services.checkpoints.dir, depth: 3 });
  if (services.history instanceof DuckDBHistoryStore) folders.push({ dir: dirname(services.history.dbPath), depth: 1 });
  // Folders under `.linea/` are walked with it.
  return folders.filter((f, i) => i === 0 || (f.dir !== home && !f.dir.startsWith(`${home}/`)));
}

/**
 * What a run tidies when it starts, in the background and best-effort (it never fails nor delays the run):
 * the temporary files of writers that died, in linea's folders and the object store's scratch folder; a
 * distributed run's local copies of the shared store's objects, past `localCopies.maxBytes`; and
 * the history's orphans (runs whose process died become `crashed`; finished runs' spools once enough wait). A sweep's problem goes to `warn`; the
 * history's are left to the run's recorder. The promise never rejects; the run waits for it only at its end.
 */
export function startHousekeeping(
  services: RunServices, baseDir: string, warn: (source: string, message: string) => void,
  localCopies?: { readonly dir: string; readonly maxBytes: number },
): Promise<void> {
  const sweep = async (): Promise<void> => {
    await services.objects?.sweepTemp(STALE_TEMP_MS);
    await sweepTempFiles(lineaFolders(services, baseDir));
    if (localCopies !== undefined) await trimLocalCopies(new FolderObjectStore(localCopies.dir), localCopies.maxBytes);
  };
  return Promise.all([
    sweep().catch((error: unknown) => warn("cache", `could not sweep temporary files: ${errorMessage(error)}`)),
    // A history that cannot be opened is reported once, by the run's own recorder.
    (services.history instanceof DuckDBHistoryStore ? services.history.importIfDue() : services.history?.importOrphans())?.catch(() => undefined),
  ]).then(() => undefined);
}
