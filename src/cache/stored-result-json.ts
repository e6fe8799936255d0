import type { KeyEntry } from "./cache-index.js";
import type { StoredResult } from "./stored-output.js";

/**
 * The JSON text of kept results and of the cache entries made from them, made once: the cache index and the
 * checkpoint both write a record of every result a run keeps, and serializing it twice cost each step of a
 * 10,000-step run as much as its own work. Remembered by object (weakly), and forgotten once written (a
 * cache entry stays in memory for the run: its text would too), so a result changed after it was serialized
 * would be written stale: results are never changed once kept.
 */
const texts = new WeakMap<object, string>();

/** `JSON.stringify(result)`, made once per result. */
export function storedResultJson(result: StoredResult): string {
  let text = texts.get(result);
  if (text === undefined) {
    text = JSON.stringify(result);
    texts.set(result, text);
  }
  return text;
}

/** {@link storedResultJson}, for its last use: the text is forgotten. */
export function takeStoredResultJson(result: StoredResult): string {
  const text = storedResultJson(result);
  texts.delete(result);
  return text;
}

/** The cache entry of a kept result, `{ format: 1, ...result, pipeline, created, lastUsed, hits }`, its text made from the result's. */
export function keyEntryOf(result: StoredResult, pipeline: string, created: string, lastUsed: string, hits: number): KeyEntry {
  const entry: KeyEntry = { format: 1, ...result, pipeline, created, lastUsed, hits };
  // The same text as JSON.stringify(entry): "format" first, the result's fields in their order, then the rest.
  const fields = `,"pipeline":${JSON.stringify(pipeline)},"created":${JSON.stringify(created)},"lastUsed":${JSON.stringify(lastUsed)},"hits":${JSON.stringify(hits)}}`;
  texts.set(entry, `{"format":1,${storedResultJson(result).slice(1, -1)}${fields}`);
  return entry;
}

/** `JSON.stringify(entry)`, made from its result's text when it was made by {@link keyEntryOf} (then forgotten). */
export function takeKeyEntryJson(entry: KeyEntry): string {
  const text = texts.get(entry);
  if (text === undefined) return JSON.stringify(entry);
  texts.delete(entry);
  return text;
}
