import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { replaceFile } from "../util/atomic-file.js";
import { makeDirectory } from "../util/make-directory.js";
import { hashFile } from "./fingerprint.js";
import { sha256Hex } from "../util/sha256.js";

/** A file's content version: the sha256 of its bytes, with the size and mtime it had when hashed. */
export interface FileVersion {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A record as written, or undefined for one a crash left empty or torn (the file is then hashed again). */
function parseRecord(text: string): FileVersion | undefined {
  try {
    const record = JSON.parse(text) as Partial<FileVersion> | null;
    return typeof record?.path === "string" && typeof record.sha256 === "string" && typeof record.size === "number" && typeof record.mtimeMs === "number"
      ? (record as FileVersion)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the records say of a file before it is hashed (see {@link FileVersions.state}). */
export type FileState = "known" | "touched" | "new";

/** A file looked up in the records: its state, its record when known, its size and mtime when it is a plain file. */
interface Looked {
  readonly state: FileState;
  readonly version?: FileVersion;
  readonly info?: { readonly size: number; readonly mtimeMs: number };
}

/**
 * Content versions of source files, with a size-and-mtime fast path: a file whose size and mtime match
 * what was recorded when it was last hashed is not read again.
 */
export class FileVersions {
  /** The records' folder, made once. */
  private folder: Promise<void> | undefined;
  /** Versions being found (hashed), by path: a second asker of the same file shares the first one's work. */
  private readonly finding = new Map<string, Promise<FileVersion | undefined>>();

  constructor(readonly dir: string) {}

  private recordPath(path: string): string {
    return join(this.dir, `${sha256Hex(path)}.json`);
  }

  /** The version recorded for the file when its size and mtime still match (no hashing), else undefined. */
  async known(path: string): Promise<FileVersion | undefined> {
    const { state, version } = await this.look(path);
    return state === "known" ? version : undefined;
  }

  /**
   * What the records say of the file before it is hashed: `known` (its size and mtime match the record: no
   * hashing), `touched` (the same size as recorded, another mtime: it will be hashed, and is probably
   * unchanged: a checkout, a copy, a touch), or `new` (no record, another size, or no such file).
   */
  async state(path: string): Promise<FileState> {
    return (await this.look(path)).state;
  }

  /** Starts finding the file's version ({@link of}) and resolves to its {@link state} before the hashing, looked up once for both. */
  async startFinding(path: string): Promise<FileState> {
    const looked = this.look(path);
    void this.findOnce(path, looked).catch(() => undefined);
    return (await looked).state;
  }

  /** The file's state, with its record when `known`, and its size and mtime when it is a plain file. */
  private async look(path: string): Promise<Looked> {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) return { state: "new" };
    const text = await readFile(this.recordPath(path), "utf8").catch(() => undefined);
    const recorded = text === undefined ? undefined : parseRecord(text);
    if (recorded === undefined || recorded.path !== path || recorded.size !== info.size) return { state: "new", info };
    return recorded.mtimeMs === info.mtimeMs ? { state: "known", version: recorded, info } : { state: "touched", info };
  }

  /**
   * The file's version, or undefined when it does not exist (or is not a plain file). Asked again while it
   * is being found (a run that started hashing its sources ahead of planning), the same answer.
   */
  of(path: string): Promise<FileVersion | undefined> {
    return this.findOnce(path, undefined);
  }

  /** {@link of}, given the file's lookup when it is made already. */
  private findOnce(path: string, looked: Promise<Looked> | undefined): Promise<FileVersion | undefined> {
    const under = this.finding.get(path);
    if (under !== undefined) return under;
    const finding = this.find(path, looked ?? this.look(path));
    this.finding.set(path, finding);
    const done = (): void => {
      if (this.finding.get(path) === finding) this.finding.delete(path);
    };
    finding.then(done, done);
    return finding;
  }

  private async find(path: string, looked: Promise<Looked>): Promise<FileVersion | undefined> {
    const { state, version: known, info } = await looked;
    if (state === "known") return known;
    if (info === undefined) return undefined;
    const version: FileVersion = { path, sha256: await hashFile(path), size: info.size, mtimeMs: info.mtimeMs };
    // The record is only a shortcut: failing to keep it costs a rehash next time, nothing else. So it is
    // replaced atomically but not synced (a synced file took 2 to 12 ms here, once per source file before a
    // run's first step): a crash of the machine may leave the old record or an empty one, which is not read.
    this.folder ??= makeDirectory(this.dir);
    await this.folder.then(() => replaceFile(this.recordPath(path), JSON.stringify(version))).catch(() => {
      this.folder = undefined;
    });
    return version;
  }
}
