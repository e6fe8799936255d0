import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-file.js";
import { isProcessAlive } from "../util/process-alive.js";
import { parseRecordLog, recordLine, RecordLog } from "../util/record-log.js";
import { CACHE_KEY_PATTERN, type CacheIndex, type KeyEntry } from "./cache-index.js";
import { takeKeyEntryJson } from "./stored-result-json.js";

/** The folder of the index's logs, in its folder. */
export const INDEX_LOG_DIR = "log";

/** Merge the logs of processes that are gone once there are at least this many. */
const COMPACT_AT = 4;

/** One record of an index log: an entry written whole, a hit recorded, or a key removed. */
type IndexRecord =
  | { readonly put: KeyEntry }
  | { readonly touch: string; readonly hits: number; readonly lastUsed: string }
  | { readonly remove: string };

/** A log's name: `<time>-<pid>-<hex>.log` for a process's own, `<time>-compact-<hex>.log` for a merged one. */
function logName(stamp: string, who: string | number): string {
  return `${stamp}-${who}-${randomBytes(4).toString("hex")}.log`;
}

/** The time part of names, sortable: `20261202T082400123Z`. */
function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

/**
 * True when nobody appends to the log any more: a merged log, or one whose process is gone; or one of
 * this process, once {@link FolderCacheIndex.compact} has moved this process's writers to new logs.
 */
function finishedLog(name: string): boolean {
  const who = name.split("-")[1];
  if (who === "compact") return true;
  const pid = Number(who);
  return pid === process.pid || !isProcessAlive(pid);
}

/** The indexes of this process that have a log open, by folder of logs: a merge moves them all to new logs first. */
const writing = new Map<string, Set<FolderCacheIndex>>();

/**
 * The {@link CacheIndex} in a folder: append-only logs of checksummed records (`log/<time>-<pid>-<hex>.log`,
 * one per index and process, see record-log.ts), each record an entry written whole, a hit, or a removal.
 * Reading the index reads the logs (the latest record of a key wins; what was read before is not read
 * again); a torn last line (a process killed mid-append) and any line whose checksum fails are skipped.
 * Appends are batched and not synced: an entry is written only once the data it points at is durable, and
 * what an entry points at is checked before it is read, so an entry lost to a machine crash is a miss,
 * never wrong data. (A file per key cost a file write and a rename per step; syncing a file per step cost
 * more than the steps.) At the end of a run ({@link compact}), once {@link COMPACT_AT} logs of processes that
 * are gone have piled up, they are merged into one, written atomically, and removed.
 *
 * Entries of earlier versions, one JSON file per key (`ab/abcd....json`), are still read; `remove` deletes
 * theirs, and a merge moves them into its log.
 */
export class FolderCacheIndex implements CacheIndex {
  readonly dir: string;
  private readonly logDir: string;
  /** Every entry read or written, by key. */
  private readonly entries = new Map<string, KeyEntry>();
  /** Keys removed (so that an entry of the older layout, a file per key, is not read back). */
  private readonly removed = new Set<string>();
  /** Bytes of each log already read (up to its last whole line). */
  private readonly consumed = new Map<string, number>();
  /** This index's own log, made on its first write. */
  private log: RecordLog | undefined;
  private logFile: string | undefined;
  private loaded: Promise<void> | undefined;
  /** Whether the folder holds entries of the older layout (prefix folders); checked once. */
  private legacy: Promise<boolean> | undefined;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.logDir = join(this.dir, INDEX_LOG_DIR);
  }

  get location(): string {
    return this.dir;
  }

  /** Refuses what is not a cache key (it would name a file of the older layout). */
  private check(key: string): void {
    if (!CACHE_KEY_PATTERN.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
  }

  /** The file of a key's entry in the older layout. */
  private pathOf(key: string): string {
    this.check(key);
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  private apply(record: IndexRecord): void {
    if ("put" in record) {
      const entry = record.put;
      if (entry?.format !== 1 || typeof entry.key !== "string") return;
      this.entries.set(entry.key, entry);
      this.removed.delete(entry.key);
    } else if ("touch" in record) {
      const entry = this.entries.get(record.touch);
      if (entry !== undefined) this.entries.set(entry.key, { ...entry, hits: record.hits, lastUsed: record.lastUsed });
    } else if ("remove" in record) {
      this.entries.delete(record.remove);
      this.removed.add(record.remove);
    }
  }

  /** Reads what the logs gained since they were last read (other processes' and indexes' records). */
  private async refresh(): Promise<void> {
    const names = (await readdir(this.logDir).catch(() => [] as string[])).filter((name) => name.endsWith(".log")).sort();
    for (const name of names) {
      if (name === this.logFile) continue; // its records were applied as they were written
      const from = this.consumed.get(name) ?? 0;
      const bytes = await readFrom(join(this.logDir, name), from);
      const end = bytes.lastIndexOf(0x0a) + 1; // a line still being written is read next time
      if (end === 0) continue;
      for (const record of parseRecordLog(bytes.subarray(0, end).toString("utf8"))) this.apply(record as IndexRecord);
      this.consumed.set(name, from + end);
    }
  }

  private load(): Promise<void> {
    this.loaded ??= this.refresh().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private hasLegacy(): Promise<boolean> {
    this.legacy ??= readdir(this.dir).then((names) => names.some((name) => /^[0-9a-f]{2}$/.test(name)), () => false);
    return this.legacy;
  }

  /** An entry of the older layout (a file per key), or undefined. */
  private async legacyEntry(key: string): Promise<KeyEntry | undefined> {
    if (this.removed.has(key) || !(await this.hasLegacy())) return undefined;
    try {
      const entry = JSON.parse(await readFile(this.pathOf(key), "utf8")) as KeyEntry;
      return entry.format === 1 && entry.key === key ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  async get(key: string): Promise<KeyEntry | undefined> {
    this.check(key);
    await this.load();
    return this.entries.get(key) ?? this.legacyEntry(key);
  }

  /** Reads the logs once (what they gained since), then answers from memory; the older layout only if there is one. */
  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KeyEntry>> {
    await this.load();
    await this.refresh();
    const found = new Map<string, KeyEntry>();
    const missing: string[] = [];
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry !== undefined) found.set(key, entry);
      else missing.push(key);
    }
    if (missing.length > 0 && (await this.hasLegacy())) {
      for (const key of missing) {
        const entry = await this.legacyEntry(key);
        if (entry !== undefined) found.set(key, entry);
      }
    }
    return found;
  }

  /** Appends a record; `json` is its text when known already. */
  private append(record: IndexRecord, json?: string): Promise<void> {
    if (this.log === undefined) {
      this.logFile = logName(stampOf(new Date()), process.pid);
      this.log = new RecordLog(join(this.logDir, this.logFile), false);
      (writing.get(this.logDir) ?? writing.set(this.logDir, new Set()).get(this.logDir))?.add(this);
    }
    this.apply(record);
    return json === undefined ? this.log.append(record) : this.log.appendJson(json);
  }

  put(entry: KeyEntry): Promise<void> {
    // No async function: the log batch's promise is the entry's (one promise per batch, not two per step).
    try {
      this.check(entry.key);
      return this.append({ put: entry }, `{"put":${takeKeyEntryJson(entry)}}`);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async touch(entry: KeyEntry, now: string = new Date().toISOString()): Promise<void> {
    this.check(entry.key);
    const hits = entry.hits + 1;
    // A small record when the entry is known here; whole otherwise (an entry of the older layout, say).
    await this.append(this.entries.has(entry.key) ? { touch: entry.key, hits, lastUsed: now } : { put: { ...entry, hits, lastUsed: now } });
  }

  async remove(key: string): Promise<void> {
    const path = this.pathOf(key);
    await this.append({ remove: key });
    if (await this.hasLegacy()) await rm(path, { force: true });
  }

  async list(): Promise<KeyEntry[]> {
    await this.load();
    await this.refresh();
    const entries = new Map(this.entries);
    if (await this.hasLegacy()) {
      for (const prefix of await readdir(this.dir).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
        for (const file of await readdir(join(this.dir, prefix)).catch(() => [] as string[])) {
          const key = file.replace(/\.json$/, "");
          if (!CACHE_KEY_PATTERN.test(key) || entries.has(key)) continue;
          const entry = await this.legacyEntry(key);
          if (entry) entries.set(key, entry);
        }
      }
    }
    return [...entries.values()];
  }

  /** Finishes this index's log: what it appends from now on goes to a new one (its records are read as anyone's). */
  private async rotate(): Promise<void> {
    const log = this.log;
    if (log === undefined) return;
    this.log = undefined;
    if (this.logFile !== undefined) this.consumed.set(this.logFile, Number.MAX_SAFE_INTEGER); // applied as written
    this.logFile = undefined;
    await log.flush();
  }

  /**
   * Merges the logs nobody writes any more (those of processes that are gone, this index's own, earlier
   * merges) into one, once there are {@link COMPACT_AT} of them: the merged log is written whole and
   * atomically before they are removed, so a crash in between leaves records twice, never none. A reader
   * that listed a log just removed misses its entries this once (a miss, never wrong data). This index then
   * writes to a new log. Entries of the older layout go into the merged log too, and their files are removed.
   */
  async compact(): Promise<void> {
    // This process's writers go on in new logs (those appending from now on make them), so that every log
    // of this process listed below is finished.
    const writers = [...(writing.get(this.logDir) ?? [])];
    writing.delete(this.logDir);
    await Promise.all(writers.map((index) => index.rotate()));
    const names = (await readdir(this.logDir).catch(() => [] as string[])).filter((name) => name.endsWith(".log")).sort();
    // Logs begun meanwhile (a run of this process still keeping results) are being written.
    const open = new Set([...(writing.get(this.logDir) ?? [])].map((index) => index.logFile));
    const done = names.filter((name) => finishedLog(name) && !open.has(name));
    const legacy = await this.hasLegacy();
    if (done.length < COMPACT_AT && !legacy) return;
    await this.load();
    const live = new Map<string, KeyEntry>();
    const gone = new Set<string>();
    const merge = (records: unknown[]): void => {
      for (const record of records as IndexRecord[]) {
        if ("put" in record && record.put?.format === 1) {
          live.set(record.put.key, record.put);
          gone.delete(record.put.key);
        } else if ("touch" in record) {
          const entry = live.get(record.touch);
          if (entry !== undefined) live.set(entry.key, { ...entry, hits: record.hits, lastUsed: record.lastUsed });
        } else if ("remove" in record) {
          live.delete(record.remove);
          gone.add(record.remove);
        }
      }
    };
    // Entries of the older layout first: any record of the logs is newer.
    const legacyEntries = legacy ? (await this.list()).filter((entry) => !this.entries.has(entry.key)) : [];
    for (const entry of legacyEntries) live.set(entry.key, entry);
    for (const name of done) merge(parseRecordLog(await readFile(join(this.logDir, name), "utf8").catch(() => "")));
    const lines = [...live.values()].map((entry) => recordLine({ put: entry } satisfies IndexRecord));
    // A removal is kept only while other logs may still hold the key.
    if (done.length < names.length) for (const key of gone) lines.push(recordLine({ remove: key } satisfies IndexRecord));
    const text = lines.join("");
    const merged = logName(done[0]?.split("-")[0] ?? stampOf(new Date()), "compact");
    await writeFileAtomic(join(this.logDir, merged), text);
    this.consumed.set(merged, Buffer.byteLength(text));
    for (const name of done) {
      await rm(join(this.logDir, name), { force: true });
      this.consumed.delete(name);
    }
    for (const entry of legacyEntries) await rm(this.pathOf(entry.key), { force: true });
    if (legacy) this.legacy = Promise.resolve(false);
  }
}

/** The bytes of a file from `offset` to its end (none when it is gone). */
async function readFrom(path: string, offset: number): Promise<Buffer> {
  let file;
  try {
    file = await open(path, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const { size } = await file.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
