import { LineaError } from "../errors/linea-error.js";
import { q } from "../util/quote.js";

/**
 * The run history could not be opened, read or written. Recording a run never throws it (the recorder turns
 * it into a warning); {@link RunHistory} reads do. `dbPath` is the database file, resolved.
 */
export class HistoryError extends LineaError {
  readonly dbPath: string;

  constructor(dbPath: string, message: string, options?: { cause?: unknown }) {
    super("HISTORY", message, options);
    this.dbPath = dbPath;
  }
}

/** The database was written by a newer linea: its schema version is one this linea does not know. */
export class HistorySchemaTooNewError extends HistoryError {
  readonly foundVersion: number;
  readonly supportedVersion: number;

  constructor(dbPath: string, foundVersion: number, supportedVersion: number) {
    super(
      dbPath,
      `History database ${q(dbPath)} has schema version ${foundVersion}, newer than the ${supportedVersion} this linea knows: ` +
        "a newer linea wrote it. Upgrade linea, or point historyDb (--history-db) at another file.",
    );
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}

/** Other processes held the database's lock for longer than the caller was willing to wait. */
export class HistoryLockedError extends HistoryError {
  readonly waitedMs: number;

  constructor(dbPath: string, waitedMs: number, cause: unknown) {
    super(
      dbPath,
      `History database ${q(dbPath)} stayed locked by another process for ${waitedMs} ms. ` +
        "Another linea process was writing it all that time; try again once it is done, or wait longer (lockTimeoutMs).",
      { cause },
    );
    this.waitedMs = waitedMs;
  }
}
