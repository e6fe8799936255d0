/** A path into a document: property names and array indexes. */
export type DocumentPath = ReadonlyArray<string | number>;

/** A problem at a path of a document (and, for a field, which key), before it is placed in a file. */
export interface Finding {
  readonly path: DocumentPath;
  /** The key at `path` the problem is about (an unknown or dependent field), to point at its line. */
  readonly key?: string;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A path as people write it: `steps[3].inputs`, `options.maxWorkers`, `steps[0].params["a b"]`; `""` for the root. */
export function placeOf(path: DocumentPath): string {
  let place = "";
  for (const segment of path) {
    if (typeof segment === "number") place += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) place += place === "" ? segment : `.${segment}`;
    else place += `[${JSON.stringify(segment)}]`;
  }
  return place;
}

/** The path a JSON Pointer (ajv's `instancePath`, `/steps/3/inputs`) names; numeric segments become indexes. */
export function pathOfPointer(pointer: string): Array<string | number> {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}
