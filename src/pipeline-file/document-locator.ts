import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { DocumentPath } from "./place-of.js";

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where a path's value starts in a JSON or YAML text; with `key`, where that key of the object at
 * `path` is written (for an unknown field). A path (or key) that is not in the text, like a missing field,
 * gives the place of its nearest ancestor that is.
 */
export type DocumentLocator = (path: DocumentPath, key?: string) => Position | undefined;

/** A locator that finds nothing: for modules, and for text the YAML parser cannot read. */
export const NO_LOCATOR: DocumentLocator = () => undefined;

function child(node: unknown, segment: string | number): unknown {
  if (isSeq(node) && typeof segment === "number") return node.items[segment];
  if (isMap(node)) return node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment))?.value;
  return undefined;
}

function keyNode(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.key;
}

/** A locator over a parsed YAML document (JSON texts are parsed as YAML for this: JSON is YAML 1.2). */
export function documentLocator(document: Document, lineCounter: LineCounter): DocumentLocator {
  return (path, key) => {
    let node: unknown = document.contents;
    for (const segment of path) node = child(node, segment) ?? node;
    if (key !== undefined) node = keyNode(node, key) ?? node;
    const range = (node as Node | null | undefined)?.range;
    if (range === undefined || range === null) return undefined;
    const { line, col } = lineCounter.linePos(range[0]);
    return { line, column: col };
  };
}

/** A locator for a JSON text, or none when the YAML parser cannot read it. */
export function jsonLocator(text: string): DocumentLocator {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  return document.errors.length > 0 ? NO_LOCATOR : documentLocator(document, lineCounter);
}
