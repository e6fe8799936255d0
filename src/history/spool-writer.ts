import { appendFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { errorMessage } from "../util/error-message.js";
import { makeDirectory } from "../util/make-directory.js";

/** Spools being written by this process: never imported by it, whatever their pid says. */
const active = new Set<string>();

/** True while a {@link SpoolWriter} of this process owns the spool at `path`. */
export function isActiveSpool(path: string): boolean {
  return active.has(path);
}

/** When a {@link SpoolWriter} writes what queued. */
export interface SpoolBatching {
  /**
   * Queued lines wait at most this long before they are written (0: at once, after the current tick). A
   * process that dies loses at most the lines of its last interval. @default 0
   */
  readonly intervalMs?: number;
  /** ... or until this many have queued. @default 2000 */
  readonly maxLines?: number;
}


/**
 * A line as queued: its text, or its text in pieces (a run's finish line, megabytes, is never one string),
 * taken one after the other when the line is written.
 */
type QueuedLine = string | Iterable<string>;

/** Bytes written at a time: text is encoded into one buffer of this size, reused (a fresh buffer of megabytes cost more than its encoding). */
const CHUNK_BYTES = 1 << 20;

/** Text encoded at a time: at most 3 bytes a UTF-16 unit, so it always fits an emptied chunk. */
const PIECE_CHARS = CHUNK_BYTES / 4;
/** How much small text is gathered before it is encoded (see ChunkedAppend). */
const PENDING_CHARS = 64 * 1024;

/**
 * Appends lines to a spool file, write-behind and in batches: `append` only queues (it never waits, nor
 * fails), and one `appendFile` at a time writes whatever queued meanwhile, once `intervalMs` has passed
 * since the first of them (or `maxLines` have queued), so a burst of events costs one write. Lines reach
 * the file whole and in order. The first failure is reported once; the lines of the batch that failed and
 * every later line are then kept in memory ({@link unwritten}), for the caller to write elsewhere.
 */
export class SpoolWriter {
  private queue: QueuedLine[] = [];
  /** What encodes and appends the lines (its buffer made on the first write). */
  private chunk: ChunkedAppend | undefined;
  /** Once a write failed: the lines of that batch and every line appended since. */
  private lost: QueuedLine[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private folderMade = false;
  private failed = false;
  private readonly intervalMs: number;
  private readonly maxLines: number;

  constructor(
    private file: string,
    private readonly onError: (message: string) => void,
    batching: SpoolBatching = {},
  ) {
    active.add(file);
    this.intervalMs = batching.intervalMs ?? 0;
    this.maxLines = batching.maxLines ?? 2000;
  }

  /** The spool file. */
  get path(): string {
    return this.file;
  }

  /** True once a write failed: the file misses lines. */
  get broken(): boolean {
    return this.failed;
  }

  /** Queues one line (its text without the line feed), or a line given in pieces (written one after the other). */
  append(line: QueuedLine): void {
    if (this.failed) {
      this.lost.push(line);
      return;
    }
    this.queue.push(line);
    if (this.writing !== undefined) return;
    if (this.intervalMs <= 0 || this.queue.length >= this.maxLines) this.start();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.start(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Resolves once every line queued so far is written (or the writer has failed). Never rejects. */
  async flush(): Promise<void> {
    if (this.queue.length > 0 && this.writing === undefined) this.start();
    while (this.writing !== undefined) await this.writing;
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing ??= this.drain();
  }

  /** Deletes the spool file, once the queue has drained. */
  async remove(): Promise<void> {
    await this.flush();
    await rm(this.path, { force: true });
  }

  /**
   * Once the queue has drained, renames the spool file (in one step: a reader sees the old name or the new,
   * whole). Later lines go to the new name. @throws what the rename throws.
   */
  async moveTo(path: string): Promise<void> {
    await this.flush();
    await rename(this.file, path);
    active.delete(this.file);
    this.file = path;
    active.add(path);
  }

  /**
   * The lines that may be missing from the file, once a write failed (none before): those of the batch that
   * failed (some of which may have reached the file) and every line appended since, in order.
   */
  unwritten(): readonly QueuedLine[] {
    return this.lost;
  }

  /** Lets this process import the spool (its owner is done with it, whether or not it was written). */
  release(): void {
    active.delete(this.path);
  }

  private async drain(): Promise<void> {
    let batch: QueuedLine[] = [];
    try {
      await Promise.resolve(); // lines appended in the same tick go out in the first write
      while (this.queue.length > 0) {
        batch = this.queue;
        this.queue = [];
        if (!this.folderMade) {
          await makeDirectory(dirname(this.path));
          this.folderMade = true;
        }
        this.chunk ??= new ChunkedAppend(this.path);
        this.chunk.path = this.path;
        const chunk = this.chunk;
        for (let i = 0; i < batch.length; i++) {
          const line = batch[i] as QueuedLine;
          if (typeof line === "string") {
            const written = chunk.write(line);
            if (written !== undefined) await written;
          } else {
            for (const piece of line) {
              const written = chunk.write(piece);
              if (written !== undefined) await written;
            }
          }
          const ended = chunk.lineFeed();
          if (ended !== undefined) await ended;
        }
        await this.chunk.flush(); // one appendFile a batch, but for a batch of more than a chunk
      }
    } catch (error) {
      this.failed = true;
      this.lost = [...batch, ...this.queue];
      this.queue = [];
      this.onError(errorMessage(error));
    } finally {
      this.writing = undefined;
    }
  }
}

/**
 * Appends text to a file through one reused buffer: {@link write} encodes into it, appending it whenever it
 * fills. `write` and `lineFeed` return a promise only when they had to write the buffer out: a line that fits
 * costs no promise (and no awaited tick), which a spool of tens of thousands of event lines felt.
 */
class ChunkedAppend {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  constructor(public path: string) {}

  /**
   * Text given but not yet encoded: small writes (an event line, a line feed) are gathered and encoded
   * about every {@link PENDING_CHARS} characters, since each `Buffer#write` call has a cost of its own
   * (a 10,000-step run writes some 60,000 pieces). A long text is encoded as it is.
   */
  private pending = "";

  write(text: string): Promise<void> | undefined {
    if (text.length < PENDING_CHARS) {
      this.pending += text;
      return this.pending.length < PENDING_CHARS ? undefined : this.encodePending();
    }
    const before = this.encodePending();
    return before === undefined ? this.encode(text) : before.then(() => this.encode(text));
  }

  /** Encodes the gathered text (see {@link pending}). */
  private encodePending(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const text = this.pending;
    this.pending = "";
    return this.encode(text);
  }

  private encode(text: string): Promise<void> | undefined {
    if (text.length * 3 <= CHUNK_BYTES - this.used) {
      this.used += this.buffer.write(text, this.used, "utf8");
      return undefined;
    }
    return this.writeLong(text);
  }

  private async writeLong(text: string): Promise<void> {
    for (let start = 0; start < text.length;) {
      let end = Math.min(text.length, start + PIECE_CHARS);
      // Never between the two halves of a surrogate pair (each half alone would be written as U+FFFD).
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      const piece = start === 0 && end === text.length ? text : text.slice(start, end);
      if (this.used + piece.length * 3 > CHUNK_BYTES) await this.flush();
      this.used += this.buffer.write(piece, this.used, "utf8");
      start = end;
    }
  }

  /** Ends the line. */
  lineFeed(): Promise<void> | undefined {
    return this.write("\n");
  }

  async flush(): Promise<void> {
    await this.encodePending();
    if (this.used === 0) return;
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    await appendFile(this.path, bytes);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
