import { FILE_FORMATS, type FileFormat } from "./step.js";

const EXTENSIONS: ReadonlyArray<readonly [RegExp, FileFormat]> = [
  [/\.(csv|tsv)(\.(gz|zst))?$/i, "csv"],
  [/\.(parquet|pq)$/i, "parquet"],
  [/\.(json|jsonl|ndjson)(\.(gz|zst))?$/i, "json"],
];

/** The format a path's extension names, or undefined when it names none linea reads. */
export function inferFormat(path: string): FileFormat | undefined {
  for (const [pattern, format] of EXTENSIONS) if (pattern.test(path)) return format;
  return undefined;
}

export function isFileFormat(value: unknown): value is FileFormat {
  return typeof value === "string" && (FILE_FORMATS as readonly string[]).includes(value);
}
