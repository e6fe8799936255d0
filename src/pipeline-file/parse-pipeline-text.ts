import { LineCounter, parseDocument } from "yaml";
import { documentLocator, jsonLocator, type DocumentLocator, type Position } from "./document-locator.js";
import type { PipelineProblem } from "./pipeline-file-error.js";

/** A JSON or YAML text read into a value, with a way to find places in the text. */
export type ParsedText =
  | { readonly ok: true; readonly value: unknown; readonly locate: DocumentLocator }
  | { readonly ok: false; readonly problems: PipelineProblem[] };

/** The 1-based line and column of an offset into `text`. */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.min(offset, text.length));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parses JSON; a syntax error names its line and column (from V8's "at position N"). */
export function parseJsonText(text: string): ParsedText {
  try {
    return { ok: true, value: JSON.parse(text) as unknown, locate: jsonLocator(text) };
  } catch (error) {
    const raw = (error as Error).message;
    const offset = /at position (\d+)/.exec(raw)?.[1];
    const message = `invalid JSON: ${raw.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "")}`;
    const { line, column } = positionAt(text, offset === undefined ? text.length : Number(offset));
    return { ok: false, problems: [{ place: "", message, line, column }] };
  }
}

/** Parses YAML (1.2, core schema, one document); every syntax error names its line and column. */
export function parseYamlText(text: string): ParsedText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error): PipelineProblem => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { place: "", message: `invalid YAML: ${error.message}`, line, column: col };
    });
    return { ok: false, problems };
  }
  let value: unknown;
  try {
    // The yaml package refuses documents whose aliases would expand without bound (an "alias bomb").
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problems: [{ place: "", message: `invalid YAML: ${(error as Error).message}` }] };
  }
  const loop = circularPath(value, "", new Set());
  if (loop !== undefined) {
    return { ok: false, problems: [{ place: loop, message: "invalid YAML: an alias refers to a node that contains it (a circular reference)" }] };
  }
  return { ok: true, value, locate: documentLocator(document, lineCounter) };
}

/** The place (`steps[0].params`) of the first value that contains itself, made by a YAML alias. */
function circularPath(value: unknown, place: string, open: Set<object>): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (open.has(value)) return place;
  open.add(value);
  try {
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((item, i) => [`${place}[${i}]`, item])
      : Object.entries(value).map(([key, item]) => [place === "" ? key : `${place}.${key}`, item]);
    for (const [at, item] of entries) {
      const found = circularPath(item, at, open);
      if (found !== undefined) return found;
    }
    return undefined;
  } finally {
    open.delete(value);
  }
}
