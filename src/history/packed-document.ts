import { gunzipSync, gzip } from "node:zlib";
import { jsonSafeStringify } from "./json-safe-stringify.js";
import { utf8 } from "../util/utf8.js";

/**
 * How a large history document (a run's snapshot and lineage) is stored: its JSON, gzip-compressed, in
 * base64, as one JSON string `"gzip:<base64>"` in the `document` column. A 10,000-step run's lineage
 * document is about 13 MB of JSON and 1.1 MB packed: DuckDB no longer parses and stores 13 MB per run (it
 * took a second), and the history file grows by a tenth as much. Documents written before (schema
 * version 2 and older, and PostgreSQL's) are plain JSON objects; {@link unpackDocument} reads both.
 */
export const PACKED_PREFIX = "gzip:";

/** Level 3: on a lineage document, within a few percent of level 6's size at under half its time. */
const LEVEL = 3;


/** A document's packed form, `gzip:<base64>` (stored as a JSON string), compressed off the main thread. */
export async function packDocument(document: unknown): Promise<string> {
  const json = jsonSafeStringify(document);
  const packed = await new Promise<Buffer>((resolve, reject) => {
    gzip(utf8.encode(json), { level: LEVEL }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  return `${PACKED_PREFIX}${packed.toString("base64")}`;
}

/**
 * A document as read from its column (already parsed from JSON): a packed one is unpacked, a plain one
 * (written by an older linea, or by the PostgreSQL history) returned as it is.
 */
export function unpackDocument(value: unknown): unknown {
  if (typeof value !== "string" || !value.startsWith(PACKED_PREFIX)) return value;
  return JSON.parse(gunzipSync(Buffer.from(value.slice(PACKED_PREFIX.length), "base64")).toString("utf8")) as unknown;
}
