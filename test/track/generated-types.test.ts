import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { GENERATED, generate } from "../../scripts/generate-types.js";
import { ROOT } from "../helpers/temp-dir.js";

it.each(GENERATED)("$output is what json-schema-to-typescript makes of $schema (run npm run generate:types)", async ({ schema, output }) => {
  expect(readFileSync(`${ROOT}/${output}`, "utf8")).toBe(await generate(schema));
});
