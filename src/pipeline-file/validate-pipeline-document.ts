import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import type { SchemaNode } from "./describe-schema-error.js";
import type { PipelineFile } from "./pipeline-file.generated.js";
import type { Finding } from "./place-of.js";
import { schemaFindings } from "./schema-findings.js";

/** The pipeline file's JSON Schema: the source of truth of the format and of its generated types. */
export const PIPELINE_SCHEMA_URL = new URL("../../schemas/pipeline.schema.json", import.meta.url);

interface Compiled {
  readonly validate: ValidateFunction<PipelineFile>;
  readonly definitions: Readonly<Record<string, SchemaNode>>;
}

let compiled: Compiled | undefined;

function compile(): Compiled {
  const schema = JSON.parse(readFileSync(PIPELINE_SCHEMA_URL, "utf8")) as { definitions?: Record<string, SchemaNode> };
  // verbose: the messages need each error's data and schema. allowUnionTypes: `type: ["string", "number"]`.
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return { validate: ajv.compile<PipelineFile>(schema), definitions: schema.definitions ?? {} };
}

/** Follows a local `$ref` (`#/definitions/Name`); any other node is returned as it is. */
function resolveRef(definitions: Compiled["definitions"]): (node: SchemaNode) => SchemaNode {
  return (node) => {
    const name = node.$ref?.match(/^#\/definitions\/(.+)$/)?.[1];
    return (name === undefined ? undefined : definitions[name]) ?? node;
  };
}

/** Checks a parsed document against the pipeline schema; empty when it is a valid {@link PipelineFile}. */
export function validatePipelineDocument(document: unknown): Finding[] {
  compiled ??= compile();
  if (compiled.validate(document)) return [];
  return schemaFindings(compiled.validate.errors ?? [], resolveRef(compiled.definitions));
}

