import type { DuckDBConnection } from "@duckdb/node-api";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { databaseName, parseSpoolName, spoolDirOf, type SpoolName } from "./history-paths.js";
import { inTransaction } from "./in-transaction.js";
import { isProcessAlive } from "./process-alive.js";
import { ownerGone, type ProcessOwner } from "./process-owner.js";
import { markCrashed } from "./reap-crashed-runs.js";
import { runningSummary } from "./run-record.js";
import { finishedRecord, readSpool, readSpoolHeader, type SpoolContents, type SpoolHeader } from "./spool-line.js";
import { isActiveSpool } from "./spool-writer.js";
import { appendRunLog, writeRunningSummary, writeRunRecord } from "./write-run-record.js";

/** The process that wrote a spool, as its header tells (an older linea's header gives the pid only). */
function ownerOf(name: SpoolName, header: SpoolHeader | undefined): ProcessOwner {
  return { pid: name.pid, host: header?.host, processStart: header?.processStart };
}

/**
 * True when nobody will write the spool any more: it is a finished run's (`.done`), or it is this process's
 * and no recorder of it owns the spool, or its process is gone. A spool whose header names its host is
 * judged by {@link ownerGone} (another host's is never taken); an older one by its pid alone.
 */
async function abandoned(path: string, name: SpoolName): Promise<boolean> {
  if (name.done) return true;
  if (name.pid === process.pid && !isActiveSpool(path)) return true;
  const header = await readSpoolHeader(path);
  if (header?.host !== undefined) return ownerGone(ownerOf(name, header));
  return name.pid !== process.pid && !isProcessAlive(name.pid);
}

/**
 * Writes what a spool holds: a finished run's every row, or a run that never finished as `crashed` (its
 * process is gone: nobody will finish it).
 */
async function importSpool(connection: DuckDBConnection, name: SpoolName, spool: SpoolContents): Promise<void> {
  const { header, begin, finish, firstEvent } = spool;
  await inTransaction(connection, async () => {
    if (finish !== undefined) {
      await writeRunRecord(connection, finishedRecord(finish));
      await appendRunLog(connection, name.runId, name.attempt, spool.eventLines);
    } else if (header !== undefined) {
      const startTime = begin?.startTime ?? (firstEvent?.payload.timestamp as string | undefined) ?? header.createdAt;
      const owner = ownerOf(name, header);
      await writeRunningSummary(connection, runningSummary(header, { startTime, pipelinePath: begin?.pipelinePath, policy: begin?.policy, pid: name.pid, owner }));
      await appendRunLog(connection, name.runId, name.attempt, spool.eventLines);
      await markCrashed(connection, { runId: name.runId, attempt: name.attempt, startTime }, owner);
    }
  });
}

/**
 * Imports the spools of finished runs, of runs whose process died (and of this process's runs whose recorder
 * is done with them) into the open database, one transaction each, and deletes them. A run that never
 * finished is recorded as `crashed`. Spools of another database in the same folder are left alone;
 * one that cannot be imported stays for the next open, reported through `warn`.
 */
export async function importOrphanSpools(connection: DuckDBConnection, dbPath: string, warn: (message: string) => void): Promise<number> {
  const dir = spoolDirOf(dbPath);
  const files = await readdir(dir).catch(() => [] as string[]);
  let imported = 0;
  for (const file of files.sort()) {
    const name = parseSpoolName(file);
    const path = join(dir, file);
    if (name === undefined || !(await abandoned(path, name))) continue;
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

/**
 * How many finished runs' spools may wait for a reader before a run starting takes them into the database
 * itself (in the background): it bounds the spool folder of a history nobody reads.
 */
export const SPOOL_BACKLOG = 32;

/**
 * True when the history's spool folder holds what a run starting should import now: the spool of a run
 * whose process died without finishing it (that run must show as `crashed`), or {@link SPOOL_BACKLOG}
 * finished runs' spools. `all`: any spool {@link importOrphanSpools} would import, a finished run's too.
 */
export async function hasAbandonedSpools(dbPath: string, all = false): Promise<boolean> {
  const dir = spoolDirOf(dbPath);
  let done = 0;
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    const name = parseSpoolName(file);
    if (name === undefined) continue;
    if (name.done) {
      if (all || ++done >= SPOOL_BACKLOG) return true;
    } else if (await abandoned(join(dir, file), name)) return true;
  }
  return false;
}
