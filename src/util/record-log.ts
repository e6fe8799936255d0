import { open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { makeDirectory } from "./make-directory.js";
import { sha256Hex } from "./sha256.js";


/**
 * A record's line: `<checksum> <json>`, the checksum being zlib's CRC-32 of the JSON text's UTF-8 bytes as 8 hex
 * digits. A line that does not end in a line feed, or whose checksum does not match, is not a record. The
 * checksum finds torn and corrupted lines (any burst of up to 32 bits, else all but one in 4 billion); it is no
 * defence against someone who writes the file on purpose, which sha256 would not be either without a key.
 * Lines written before (the first 16 hex digits of the JSON's sha256) are still read.
 */
function checksum(json: string | Uint8Array): string {
  return crc32(json).toString(16).padStart(8, "0");
}

/** The checksum of an older line: the first 16 hex digits of its JSON's sha256. */
function sha256Checksum(json: string): string {
  return sha256Hex(json).slice(0, 16);
}

/** The line a record is written as (with its line feed). */
export function recordLine(record: unknown): string {
  return jsonRecordLine(JSON.stringify(record));
}

/** The line of a record given as its JSON text (what `JSON.stringify` makes of it). */
export function jsonRecordLine(json: string): string {
  return `${checksum(json)} ${json}\n`;
}

/** True when a line (without its line feed) is a record whose checksum matches: CRC-32 (8 digits) or an older sha256 (16). */
function checksumMatches(line: string, space: number): boolean {
  const json = line.slice(space + 1);
  if (space === 8) return checksum(json) === line.slice(0, 8);
  return space === 16 && sha256Checksum(json) === line.slice(0, 16);
}

/**
 * The records of a log's text, in order: a torn tail (a crash mid-append leaves a line without its line
 * feed) and any line whose checksum does not match its JSON (a corrupted block) are skipped, never fatal.
 */
export function parseRecordLog(text: string): unknown[] {
  const records: unknown[] = [];
  let start = 0;
  for (let end = text.indexOf("\n"); end !== -1; start = end + 1, end = text.indexOf("\n", start)) {
    const line = text.slice(start, end);
    const space = line.indexOf(" ");
    if (!checksumMatches(line, space)) continue;
    try {
      records.push(JSON.parse(line.slice(space + 1)));
    } catch {
      // a checksum collision on garbage: not a record
    }
  }
  return records;
}

/** The records of the log at `path`; none when there is no file. */
export async function readRecordLog(path: string): Promise<unknown[]> {
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    if ((error as { code?: unknown }).code === "ENOENT") return "";
    throw error;
  });
  return parseRecordLog(text);
}

/**
 * Appends checksummed records to one file, in batches (group commit): `append` queues a record and resolves
 * once it is durable; while one batch is written and synced (`fdatasync`), the records appended meanwhile
 * wait and go out together in the next. So a burst of records costs one write and one sync, and a crash at
 * any moment leaves whole records and at most a torn last line, which readers skip ({@link parseRecordLog}).
 * A log whose file ends in a torn line (an earlier process died mid-append) is first given a line feed, so
 * the next record starts a line of its own.
 */
export class RecordLog {
  /** Queued records: the JSON text of each (its line made as the batch is written). */
  private queue: string[] = [];
  /** What the records queued so far wait for: one promise for the whole batch (none per record). */
  private batch: Batch | undefined;
  private writing: Promise<void> | undefined;
  /** The buffer batches are encoded into, made on the first (batches of more bytes get one of their own). */
  private scratch: Buffer | undefined;
  private checkedTail = false;

  constructor(
    readonly path: string,
    /** Sync each batch to disk before its records count as written. @default true */
    private readonly durable = true,
  ) {}

  /** Queues a record; resolves once it (and everything queued before it) is written and synced. */
  append(record: unknown): Promise<void> {
    return this.appendJson(JSON.stringify(record));
  }

  /**
   * Queues a record given as its JSON text (what `JSON.stringify` makes of it). Its line, checksum and text,
   * is encoded straight into the batch's buffer: no string of the line is made.
   */
  appendJson(json: string): Promise<void> {
    this.queue.push(json);
    this.batch ??= new Batch();
    this.writing ??= this.drain();
    return this.batch.done;
  }

  /** Resolves once everything queued so far is written (or has failed: its `append` rejected). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      await Promise.resolve(); // records appended in the same tick go out in the first batch
      while (this.queue.length > 0) {
        const lines = this.queue;
        const batch = this.batch as Batch;
        this.queue = [];
        this.batch = undefined;
        try {
          await this.writeBatch(this.encode(lines));
          batch.resolve();
        } catch (error) {
          batch.reject(error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** A batch's lines in {@link scratch} when they fit (a batch is written before the next is encoded), else in a buffer of their own. */
  private encode(records: readonly string[]): Uint8Array {
    let most = 0;
    for (let i = 0; i < records.length; i++) most += (records[i] as string).length * 3 + LINE_EXTRA;
    if (most > SCRATCH_BYTES) return encodeLines(records, Buffer.allocUnsafe(most));
    this.scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
    return encodeLines(records, this.scratch);
  }

  private async writeBatch(bytes: Uint8Array): Promise<void> {
    if (!this.checkedTail) await makeDirectory(dirname(this.path));
    const file = await open(this.path, "a+");
    try {
      if (!this.checkedTail) {
        const { size } = await file.stat();
        if (size > 0) {
          const last = Buffer.alloc(1);
          await file.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) await file.appendFile(LINE_FEED);
        }
        this.checkedTail = true;
      }
      await file.appendFile(bytes);
      if (this.durable) await file.datasync();
    } finally {
      await file.close();
    }
  }
}

const LINE_FEED = new Uint8Array([0x0a]);

/** Hex digits of a line's checksum. */
const CHECKSUM_DIGITS = 8;

/** Bytes of a line besides its JSON: the checksum, a space and the line feed. */
const LINE_EXTRA = CHECKSUM_DIGITS + 2;

/** The size of a log's reused batch buffer. */
const SCRATCH_BYTES = 256 * 1024;

/**
 * A batch's lines (`<checksum> <json>\n` for each record's JSON), UTF-8, into `buffer` (large enough: 3 bytes
 * a UTF-16 unit): no string of a line, and no joined string (each would be copied once more to encode it).
 */
function encodeLines(records: readonly string[], buffer: Buffer): Uint8Array {
  let used = 0;
  for (let i = 0; i < records.length; i++) {
    // The JSON goes in after room for its checksum, which is then taken of the bytes just written: the text
    // is encoded once.
    const line = used;
    const json = used + CHECKSUM_DIGITS + 1;
    const end = json + buffer.write(records[i] as string, json, "utf8");
    buffer.write(checksum(buffer.subarray(json, end)), line, "latin1");
    buffer[json - 1] = 0x20;
    buffer[end] = 0x0a;
    used = end + 1;
  }
  return buffer.subarray(0, used);
}

/** The promise a batch of records waits on, with what settles it. */
class Batch {
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
