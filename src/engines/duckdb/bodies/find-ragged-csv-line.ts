import { createReadStream } from "node:fs";

/** The first record of a CSV file whose field count differs from its first record's (the header's). */
export interface RaggedCsvLine {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly fields: number;
  readonly expected: number;
}

/**
 * Scans a CSV file with `delimiter` and `"` quotes (a quote may span lines; `""` inside quotes is a quote)
 * and returns its first record whose field count differs from the header's, or undefined when every
 * record matches. Stops at the first mismatch; blank lines are skipped.
 */
export async function findRaggedCsvLine(path: string, delimiter: string): Promise<RaggedCsvLine | undefined> {
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34, LF = 10, CR = 13;
  let line = 1, recordLine = 1, fields = 1, empty = true, quoted = false, pendingQuote = false;
  let expected: number | undefined;
  const endRecord = (): RaggedCsvLine | undefined => {
    if (empty) return undefined;
    if (expected === undefined) expected = fields;
    else if (fields !== expected) return { line: recordLine, fields, expected };
    return undefined;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (quoted) {
        if (pendingQuote) {
          pendingQuote = false;
          if (c === QUOTE) continue; // "" inside quotes
          quoted = false; // the quote closed the field: fall through to read c unquoted
        } else {
          if (c === QUOTE) pendingQuote = true;
          else if (c === LF) line++;
          continue;
        }
      }
      if (c === LF) {
        const found = endRecord();
        if (found) return found;
        line++;
        recordLine = line;
        fields = 1;
        empty = true;
      } else if (c === CR) {
        continue;
      } else {
        empty = false;
        if (c === d) fields++;
        else if (c === QUOTE) quoted = true;
      }
    }
  }
  return endRecord();
}
