import { statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { assertNever } from "../util/assert-never.js";
import { q } from "../util/quote.js";
import { loadModulePipeline } from "./load-module-pipeline.js";
import type { LoadedPipeline, PipelineKind } from "./loaded-pipeline.js";
import { PipelineFileError } from "./pipeline-file-error.js";
import type { EnvironmentChoice } from "./choose-environment.js";

export type { LoadedPipeline, PipelineKind } from "./loaded-pipeline.js";

/** Options of {@link loadPipeline}. */
export interface LoadPipelineOptions {
  /**
   * The folder a relative `path` is resolved against, and a module pipeline's `baseDir` when it exports none.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * The environment to load the pipeline in: its `options` overlay the pipeline's, its `params` are merged
   * over them. An unknown name is an error; a name from LINEA_ENV is ignored by a pipeline without environments.
   */
  env?: EnvironmentChoice;
  /**
   * The environment variables `${NAME}` in a pipeline file's `hooks:` section take their values from (and
   * OPENLINEAGE_URL, OPENLINEAGE_NAMESPACE, OPENLINEAGE_API_KEY), e.g. `process.env`. Given, the section is
   * resolved into `hooks` (a missing variable is a PipelineFileError); without it, the section is only
   * checked against the schema, so that what runs no hook (`linea plan`, workers) needs none of its secrets.
   */
  variables?: Readonly<Record<string, string | undefined>>;
}

/** The kind of pipeline each file extension names. */
export const PIPELINE_EXTENSIONS: Readonly<Record<string, PipelineKind>> = {
  ".ts": "module", ".mts": "module", ".js": "module", ".mjs": "module",
  ".json": "json",
  ".yaml": "yaml", ".yml": "yaml",
};

function fail(file: string, message: string): never {
  throw new PipelineFileError(file, [{ place: "", message }]);
}

function kindOf(file: string, path: string): PipelineKind {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return fail(file, `file not found (looked for ${path})`);
  if (!stat.isFile()) return fail(file, `${path} is not a file`);
  const extension = extname(path).toLowerCase();
  const kind = PIPELINE_EXTENSIONS[extension];
  if (kind !== undefined) return kind;
  const what = extension === "" ? "no extension" : `unknown extension ${q(extension)}`;
  return fail(file, `${what}: a pipeline is a .ts, .mts, .js or .mjs module exporting \`steps\`, or a .json, .yaml or .yml pipeline file`);
}

/**
 * Loads a pipeline from a file, checked, with everything `new Orchestrator` needs.
 *
 * - `.ts`/`.mts`/`.js`/`.mjs`: a module exporting `steps` and optionally `name` (default: the file's base
 *   name), `options` and `baseDir` (relative to the module's folder). **Without a `baseDir` its paths are
 *   relative to `cwd`**, like a script's: `linea run steps/pipeline.ts` from the repository root reads
 *   `fixtures/...` there. TypeScript modules (.ts, .mts, .cts) are compiled by linea itself, wherever they are.
 * - `.json`/`.yaml`/`.yml`: a pipeline file checked against `schemas/pipeline.schema.json`, then against
 *   linea's own step rules; run bodies name a function export (`run: { module: steps/clean.ts, export: clean }`,
 *   the module relative to the file's folder). **Its paths are relative to its `baseDir`, which is relative to
 *   the file's folder; without one, to the file's folder**: a pipeline file means the same from anywhere.
 *
 * Paths inside steps are kept as written; they resolve against `options.baseDir` (always set, absolute) at run time.
 *
 * @example
 * ```ts
 * const pipeline = await loadPipeline("pipelines/customers.yaml");
 * const orchestrator = new Orchestrator({ name: pipeline.name, steps: pipeline.steps, ...pipeline.options });
 * ```
 * @throws PipelineFileError (code `PIPELINE_FILE`) listing every problem, each with its place in the file
 *   (`steps[3].inputs`) and, for JSON and YAML, its line.
 */
export async function loadPipeline(path: string, options: LoadPipelineOptions = {}): Promise<LoadedPipeline> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, path);
  const kind = kindOf(path, absolute);
  switch (kind) {
    case "module":
      return loadModulePipeline(path, absolute, cwd, options.env);
    case "json":
    case "yaml":
      // Imported here: parsing and validating a pipeline file loads yaml and ajv, which a module pipeline never needs.
      return (await import("./load-data-pipeline.js")).loadDataPipeline(path, absolute, kind, options.env, options.variables);
    default:
      return assertNever(kind, "pipeline kind");
  }
}
