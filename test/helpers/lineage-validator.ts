import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import * as ajvFormats from "ajv-formats";
import type { FormatsPlugin } from "ajv-formats";
import { expect } from "vitest";
import { ROOT } from "./temp-dir.js";

// ajv-formats is CommonJS: its plugin is the module's default (or, seen through ESM interop, the default's default).
const formatsModule = ajvFormats as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } };
const addFormats: FormatsPlugin = formatsModule.default.default ?? formatsModule.default;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}/schemas/lineage.schema.json`, "utf8")) as object);

/** Fails the test, listing every problem, unless `document` is valid lineage JSON. */
export function expectValidLineage(document: unknown): void {
  const valid = validate(document);
  expect(valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`)).toEqual([]);
}
