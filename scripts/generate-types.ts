// Generates TypeScript types from the JSON Schemas in schemas/ (their source of truth):
//   npm run generate:types
// A test regenerates them in memory and fails when a committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

export const GENERATED: ReadonlyArray<{ schema: string; output: string }> = [
  { schema: "schemas/lineage.schema.json", output: "src/track/lineage.generated.ts" },
  { schema: "schemas/pipeline.schema.json", output: "src/pipeline-file/pipeline-file.generated.ts" },
];

const root = new URL("..", import.meta.url).pathname;

/** The TypeScript text generated from one schema file. */
export async function generate(schemaPath: string): Promise<string> {
  const schema = JSON.parse(readFileSync(root + schemaPath, "utf8")) as Parameters<typeof compile>[0];
  return compile(schema, schema.title ?? "Schema", {
    bannerComment: `/* Generated from ${schemaPath} by scripts/generate-types.ts (npm run generate:types). Do not edit. */`,
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { printWidth: 120 },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { schema, output } of GENERATED) {
    writeFileSync(root + output, await generate(schema));
    console.log(`${schema} -> ${output}`);
  }
}
