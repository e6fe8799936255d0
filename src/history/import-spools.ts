import type { DuckDBConnection } from "@duckdb/node-api";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { databaseName, parseSpoolName, spoolDirOf, type SpoolName } from "./history-paths.js";
import { inTransaction } from "./in-transaction.js";
import { isProcessAlive } from "./process-alive.js";
import { runningSummary } from "./run-record.js";
import { readSpool, type SpoolContents } from "./spool-line.js";
import { isActiveSpool } from "./spool-writer.js";
import { appendRunLog, writeRunningSummary, writeRunRecord } from "./write-run-record.js";

/**
 * True when nobody will write the spool any more: its process is gone, or it is this process and no
 * recorder of it owns the spool (its run finished, and writing the history failed).
 */
function abandoned(path: string, name: SpoolName): boolean {
  if (name.pid === process.pid) return !isActiveSpool(path);
  return !isProcessAlive(name.pid);
}

/** Writes what a spool holds: a finished run's every row, or a run that never finished as `running`. */
async function importSpool(connection: DuckDBConnection, name: SpoolName, spool: SpoolContents): Promise<void> {
  const { header, begin, finish, firstEvent } = spool;
  await inTransaction(connection, async () => {
    if (finish !== undefined) {
      await writeRunRecord(connection, finish.record);
    } else if (header !== undefined) {
      const startTime = begin?.startTime ?? (firstEvent?.payload.timestamp as string | undefined) ?? header.createdAt;
      await writeRunningSummary(connection, runningSummary(header, { startTime, pipelinePath: begin?.pipelinePath, policy: begin?.policy, pid: name.pid }));
    }
    await appendRunLog(connection, name.runId, name.attempt, spool.eventLines);
  });
}

/**
 * Imports the spools of runs whose process died (and of this process's runs whose history write failed)
 * into the open database, one transaction each, and deletes them. A run that never finished keeps the
 * `running` summary row it has, or gets one. Spools of another database in the same folder are left alone;
 * one that cannot be imported stays for the next open, reported through `warn`.
 */
export async function importOrphanSpools(connection: DuckDBConnection, dbPath: string, warn: (message: string) => void): Promise<number> {
  const dir = spoolDirOf(dbPath);
  const files = await readdir(dir).catch(() => [] as string[]);
  let imported = 0;
  for (const file of files.sort()) {
    const name = parseSpoolName(file);
    const path = join(dir, file);
    if (name === undefined || !abandoned(path, name)) continue;
    try {
      const spool = await readSpool(path);
      if (spool === undefined) continue;
      if (spool.header !== undefined && spool.header.db !== databaseName(dbPath)) continue;
      if (spool.header !== undefined) await importSpool(connection, name, spool);
      await rm(path, { force: true });
      imported++;
    } catch (error) {
      warn(`could not import the spool ${q(path)} of run ${q(name.runId)} into the history ${q(dbPath)}: ${errorMessage(error)}. It is kept for the next try.`);
    }
  }
  return imported;
}
