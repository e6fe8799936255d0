import { basename, dirname, join, resolve } from "node:path";
import { DEFAULT_PATHS } from "../util/default-paths.js";

/** Where the history lives unless `historyDb` says otherwise, relative to the orchestrator's baseDir. */
export const DEFAULT_HISTORY_DB = DEFAULT_PATHS.history;

/** The folder of run spools of a history database: `history-spool/` beside it. */
export function spoolDirOf(dbPath: string): string {
  return join(dirname(resolve(dbPath)), "history-spool");
}

/** The spool of one run attempt written by process `pid`: `<db dir>/history-spool/<runId>.<attempt>.<pid>.jsonl`. */
export function spoolPathFor(dbPath: string, runId: string, attempt: number, pid: number = process.pid): string {
  return join(spoolDirOf(dbPath), `${runId}.${attempt}.${pid}.jsonl`);
}

/** What a spool's file name says: whose run attempt, written by which process, and whether it is finished. */
export interface SpoolName {
  readonly runId: string;
  readonly attempt: number;
  readonly pid: number;
  /**
   * True for a finished run's spool (`...<pid>.done.jsonl`): it holds the run's whole record, and any process
   * may take it into the database.
   */
  readonly done: boolean;
}

/** The name a finished run's spool is given (renamed, once its record is in it): `<runId>.<attempt>.<pid>.done.jsonl`. */
export function doneSpoolPath(spoolPath: string): string {
  return spoolPath.replace(/\.jsonl$/, ".done.jsonl");
}

/** Reads a spool file name; undefined for any other file. (Run ids may hold dots, so it parses from the right.) */
export function parseSpoolName(fileName: string): SpoolName | undefined {
  const match = /^(.+)\.(\d+)\.(\d+)(\.done)?\.jsonl$/.exec(fileName);
  if (match === null) return undefined;
  return { runId: match[1] as string, attempt: Number(match[2]), pid: Number(match[3]), done: match[4] !== undefined };
}

/** The name a spool's header gives its database, so that two databases in one folder keep their spools apart. */
export function databaseName(dbPath: string): string {
  return basename(resolve(dbPath));
}
