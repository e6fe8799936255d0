import { readFileSync } from "node:fs";
import AjvModule from "ajv";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import { ROOT } from "./temp-dir.js";

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}/schemas/lineage.schema.json`, "utf8")) as object);

/** Fails the test, listing every problem, unless `document` is valid lineage JSON. */
export function expectValidLineage(document: unknown): void {
  const valid = validate(document);
  expect(valid ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}
