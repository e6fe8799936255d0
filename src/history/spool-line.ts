import { open, readFile } from "node:fs/promises";
import { assertNever } from "../util/assert-never.js";
import { expandRunRecord, type CompactRunRecord } from "./compact-run-record.js";
import type { StoredRunRecord } from "./write-run-record.js";
import type { RunPolicy } from "./run-policy.js";

/** The kinds of line a run spool holds, in the order they come. */
export const SPOOL_LINE_KINDS = ["header", "begin", "event", "finish"] as const;
export type SpoolLineKind = (typeof SPOOL_LINE_KINDS)[number];

/** The first line: whose spool this is. */
export interface SpoolHeader {
  readonly kind: "header";
  readonly format: 1;
  /** The file name of the history database the spool belongs to. */
  readonly db: string;
  readonly runId: string;
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string;
  readonly pid: number;
  /** The host of the process (absent in spools of an older linea). */
  readonly host?: string;
  /** When the process started (`processStartToken`), so that a reused pid is not taken for it. */
  readonly processStart?: string;
  readonly createdAt: string;
}

/** The run began: what its `running` summary row holds. */
export interface SpoolBegin {
  readonly kind: "begin";
  readonly startTime: string;
  readonly pipelinePath?: string;
  readonly policy?: RunPolicy;
}

/** One event of the run, numbered from 1. */
export interface SpoolEvent {
  readonly kind: "event";
  readonly seq: number;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The run finished: every row its end writes, as a {@link CompactRunRecord} (each fact said once; the importer
 * expands it, and packs its snapshot and lineage, see packed-document.ts). A spool of an earlier linea holds
 * the `record` itself (its documents as they are, or packed).
 */
export type SpoolFinish =
  | { readonly kind: "finish"; readonly compact: CompactRunRecord; readonly record?: undefined }
  | { readonly kind: "finish"; readonly record: StoredRunRecord; readonly compact?: undefined };

/** The rows a finish line holds. */
export function finishedRecord(finish: SpoolFinish): StoredRunRecord {
  return finish.record ?? expandRunRecord(finish.compact);
}

export type SpoolLine = SpoolHeader | SpoolBegin | SpoolEvent | SpoolFinish;

/** A spool as read back: its last line is dropped unless whole (the writer may have died mid-line). */
export interface SpoolContents {
  readonly header: SpoolHeader | undefined;
  readonly begin: SpoolBegin | undefined;
  /** The event lines' text, as written (the history inserts them as they are). */
  readonly eventLines: readonly string[];
  /** The first event's payload, when there is one: it is the run's `pipeline_start`. */
  readonly firstEvent: SpoolEvent | undefined;
  readonly finish: SpoolFinish | undefined;
}

function parseLine(text: string): SpoolLine | undefined {
  try {
    const line = JSON.parse(text) as SpoolLine;
    return typeof line === "object" && line !== null && (SPOOL_LINE_KINDS as readonly string[]).includes(line.kind) ? line : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a spool's lines. Lines that do not parse (a torn last line) are skipped. */
export function parseSpool(text: string): SpoolContents {
  const lines = text.split("\n");
  lines.pop(); // the text after the last line feed: empty, or a line its writer never finished
  let header: SpoolHeader | undefined;
  let begin: SpoolBegin | undefined;
  let finish: SpoolFinish | undefined;
  let firstEvent: SpoolEvent | undefined;
  const eventLines: string[] = [];
  for (const text of lines) {
    const line = parseLine(text);
    if (line === undefined) continue;
    switch (line.kind) {
      case "header":
        header ??= line;
        break;
      case "begin":
        begin ??= line;
        break;
      case "event":
        firstEvent ??= line;
        eventLines.push(text);
        break;
      case "finish":
        finish = line;
        break;
      default:
        assertNever(line, "spool line");
    }
  }
  return { header, begin, eventLines, firstEvent, finish };
}

/** Reads a spool file; undefined when it is gone (another process imported it meanwhile). */
export async function readSpool(path: string): Promise<SpoolContents | undefined> {
  try {
    return parseSpool(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Reads only a spool's header (its first line, well under 4 KiB), without the events after it: what deciding
 * whether its owner is gone needs. Undefined when the file is gone or starts with no whole header.
 */
export async function readSpoolHeader(path: string): Promise<SpoolHeader | undefined> {
  let file;
  try {
    file = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    const end = text.indexOf("\n");
    if (end < 0) return undefined;
    const line = parseLine(text.slice(0, end));
    return line?.kind === "header" ? line : undefined;
  } finally {
    await file.close();
  }
}
