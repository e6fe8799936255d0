import { basename, dirname, extname, resolve } from "node:path";
import { importUserModule } from "./import-user-module.js";
import type { OrchestratorOptions } from "../orchestrator/orchestrator-options.js";
import type { Step } from "../step/step.js";
import { stepProblems } from "../step/validate-step.js";
import { isPlainObject } from "../util/plain-object.js";
import { describeValue } from "./describe-schema-error.js";
import { duplicateStepNames } from "./duplicate-step-names.js";
import { importFailure } from "./import-failure.js";
import type { LoadedPipeline } from "./loaded-pipeline.js";
import { PipelineFileError } from "./pipeline-file-error.js";
import { placeOf, type Finding } from "./place-of.js";
import { chooseEnvironment, type EnvironmentChoice } from "./choose-environment.js";

type Exports = Record<string, unknown>;

function nameFindings(exports: Exports): Finding[] {
  const name = exports.name;
  if (name === undefined || (typeof name === "string" && name.trim() !== "")) return [];
  return [{ path: ["name"], message: `must be a non-empty string, got ${describeValue(name)}` }];
}

function stepsFindings(exports: Exports): Finding[] {
  const steps = exports.steps;
  if (steps === undefined) {
    return [{ path: ["steps"], message: "the module has no `steps` export; export the pipeline's steps: export const steps: Step[] = [...]" }];
  }
  if (!Array.isArray(steps)) return [{ path: ["steps"], message: `must be a list of steps, got ${describeValue(steps)}` }];
  return [
    ...steps.flatMap((step, i) => stepProblems(step).map((message): Finding => ({ path: ["steps", i], message }))),
    ...duplicateStepNames(steps),
  ];
}

function optionsFindings(exports: Exports): Finding[] {
  const { options, baseDir } = exports;
  const findings: Finding[] = [];
  if (options !== undefined && !isPlainObject(options)) {
    findings.push({ path: ["options"], message: `must be an object of orchestrator options, got ${describeValue(options)}` });
  }
  if (baseDir !== undefined && !(typeof baseDir === "string" && baseDir !== "")) {
    findings.push({ path: ["baseDir"], message: `must be a path, got ${describeValue(baseDir)}` });
  }
  return findings;
}

/**
 * The module's options for the orchestrator, with `baseDir`: the module's `baseDir` export (or its
 * `options.baseDir`) resolved against the module's folder, or, when it has none, `cwd`, the folder linea
 * runs from (a script's paths are relative to where it is run, as `new Orchestrator` takes them).
 */
function moduleOptions(exports: Exports, path: string, cwd: string): Partial<OrchestratorOptions> {
  const options = (exports.options ?? {}) as Partial<OrchestratorOptions>;
  const own = (exports.baseDir as string | undefined) ?? options.baseDir;
  return { ...options, baseDir: own === undefined ? resolve(cwd) : resolve(dirname(path), own) };
}

/**
 * Loads a `.ts`/`.js` pipeline module: it exports `steps` (an array of steps) and optionally `name` (by
 * default the file's base name), `options` (orchestrator options) and `baseDir`.
 *
 * @param file the path as the caller gave it, for messages; `path` is its absolute form.
 * @throws PipelineFileError when the module cannot be imported or its exports are not a pipeline.
 */
export async function loadModulePipeline(file: string, path: string, cwd: string, env?: EnvironmentChoice): Promise<LoadedPipeline> {
  let exports: Exports;
  try {
    exports = (await importUserModule(path)) as Exports;
  } catch (error) {
    throw new PipelineFileError(file, [{ place: "", message: `the module cannot be imported: ${importFailure(error)}` }], { cause: error });
  }
  const findings = [...nameFindings(exports), ...optionsFindings(exports), ...stepsFindings(exports)];
  if (findings.length > 0) {
    throw new PipelineFileError(file, findings.map((f) => ({ place: placeOf(f.path), message: f.message })));
  }
  const environment = chooseEnvironment(file, exports.environments, env);
  const options = moduleOptions(exports, path, cwd);
  const params = options.params === undefined && environment?.params === undefined ? undefined : { ...options.params, ...environment?.params };
  return {
    name: (exports.name as string | undefined) ?? basename(path, extname(path)),
    steps: exports.steps as Step[],
    options: { ...options, ...(environment?.options as Partial<OrchestratorOptions>), ...(params === undefined ? {} : { params }) },
    path,
    kind: "module",
    ...(environment === undefined || env === undefined ? {} : { environment: env.name }),
  };
}
