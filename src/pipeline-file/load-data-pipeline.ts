import { isPostgresUrl } from "../history/postgres/postgres-url.js";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { OrchestratorOptions } from "../orchestrator/orchestrator-options.js";
import type { Step } from "../step/step.js";
import { stepProblems } from "../step/validate-step.js";
import { isPlainObject } from "../util/plain-object.js";
import type { DocumentLocator } from "./document-locator.js";
import { duplicateStepNames } from "./duplicate-step-names.js";
import { importRunFunction } from "./import-run-function.js";
import type { LoadedPipeline } from "./loaded-pipeline.js";
import { parseJsonText, parseYamlText } from "./parse-pipeline-text.js";
import { PipelineFileError, type PipelineProblem } from "./pipeline-file-error.js";
import type { PipelineFile, PipelineFileStep } from "./pipeline-file.generated.js";
import { placeOf, type Finding } from "./place-of.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { toStep } from "./to-step.js";
import { chooseEnvironment, type EnvironmentChoice, type PipelineEnvironment } from "./choose-environment.js";
import { validatePipelineDocument } from "./validate-pipeline-document.js";
import { resolvePipelineHooks } from "./resolve-pipeline-hooks.js";

/** Steps made from a file's steps, what is wrong with them, and the error an import threw (kept as `cause`). */
interface StepsResult {
  readonly steps: Step[];
  readonly findings: Finding[];
  readonly cause?: unknown;
}

/**
 * Why a run body's module may not be imported, or undefined: it must lie under the file's folder, its
 * baseDir or an allowed path (importing runs its code, so this is checked before).
 */
function moduleOutside(module: string, fileDir: string, sandbox: Sandbox): string | undefined {
  const path = resolve(fileDir, module);
  if (sandbox.allows(path)) return undefined;
  return `module ${module} is outside the pipeline's folders (it resolves to ${sandbox.resolve(path).real}): ` +
    "keep run modules under the pipeline file's folder or its baseDir, or add their folder to options.allowPaths";
}

/** One step of the file as a Step, with its run function imported and linea's own step rules applied. */
async function fileStep(fileStep: PipelineFileStep, index: number, fileDir: string, sandbox: Sandbox): Promise<StepsResult> {
  const outside = fileStep.run === undefined ? undefined : moduleOutside(fileStep.run.module, fileDir, sandbox);
  if (outside !== undefined) return { steps: [], findings: [{ path: ["steps", index, "run", "module"], message: outside }] };
  const imported = fileStep.run === undefined ? undefined : await importRunFunction(fileStep.run, fileDir);
  const failed = imported?.ok === false ? imported : undefined;
  const step = toStep(fileStep, imported?.ok === true ? imported.run : undefined);
  const findings: Finding[] = [
    ...(failed === undefined ? [] : [{ path: ["steps", index, "run", failed.field], message: failed.message }]),
    ...stepProblems(step).map((message) => ({ path: ["steps", index], message })),
  ];
  return { steps: [step], findings, cause: failed?.cause };
}

/** The steps the schema found nothing wrong with, as Steps; the others are left out (their problems are known). */
async function fileSteps(steps: readonly unknown[], schemaFindings: readonly Finding[], fileDir: string, sandbox: Sandbox): Promise<StepsResult> {
  const hasFinding = (i: number): boolean => schemaFindings.some((f) => f.path[0] === "steps" && f.path[1] === i);
  const empty: StepsResult = { steps: [], findings: [] };
  const results = await Promise.all(steps.map((step, i) => (hasFinding(i) ? empty : fileStep(step as PipelineFileStep, i, fileDir, sandbox))));
  return {
    steps: results.flatMap((r) => r.steps),
    findings: [...results.flatMap((r) => r.findings), ...duplicateStepNames(steps)],
    cause: results.find((r) => r.cause !== undefined)?.cause,
  };
}

/**
 * The file's options for the orchestrator. `baseDir` is the file's `baseDir` resolved against the file's
 * folder, or that folder; allowPaths, cacheDir, checkpointDir and historyDb are resolved against `baseDir`.
 */
function fileOptions(document: PipelineFile, fileDir: string, environment: PipelineEnvironment | undefined): Partial<OrchestratorOptions> {
  const baseDir = resolve(fileDir, document.baseDir ?? ".");
  const { cacheDir, checkpointDir, historyDb, allowPaths, ...rest } = { ...document.options, ...(environment?.options as PipelineFile["options"]) };
  const params = document.params === undefined && environment?.params === undefined ? undefined : { ...document.params, ...environment?.params };
  return {
    ...rest,
    ...(params === undefined ? {} : { params }),
    baseDir,
    ...(allowPaths === undefined ? {} : { allowPaths: allowPaths.map((p) => resolve(baseDir, p)) }),
    ...(cacheDir === undefined ? {} : { cacheDir: resolve(baseDir, cacheDir) }),
    ...(checkpointDir === undefined ? {} : { checkpointDir: resolve(baseDir, checkpointDir) }),
    ...(historyDb === undefined ? {} : { historyDb: historyDb === false ? false : isPostgresUrl(historyDb) ? historyDb : resolve(baseDir, historyDb) }),
  };
}

/**
 * The file's cacheDir, checkpointDir and historyDb that lie outside its baseDir and allowed paths: a
 * pipeline file writes nowhere else (a script, or the command line, may put them anywhere).
 */
function ownFoldersOutside(options: Partial<OrchestratorOptions>): Finding[] {
  const sandbox = new Sandbox({ baseDir: options.baseDir ?? ".", allowPaths: options.allowPaths ?? [] });
  const fields = { cacheDir: options.cacheDir, checkpointDir: options.checkpointDir, historyDb: options.historyDb };
  return Object.entries(fields).flatMap(([field, value]): Finding[] => {
    if (typeof value !== "string" || sandbox.allows(value)) return [];
    return [{
      path: ["options", field],
      message: `${value} is outside the pipeline's baseDir ${sandbox.baseDir}: keep it under the baseDir, or add its folder to options.allowPaths`,
    }];
  });
}

/** Findings as problems with the line each is on, sorted by line (the file's own first; ties keep their order). */
function placed(findings: readonly Finding[], locate: DocumentLocator): PipelineProblem[] {
  const problems = findings.map(({ path, key, message }): PipelineProblem => {
    // The file as a whole (a missing `name`) is not on any one line.
    const line = path.length === 0 && key === undefined ? undefined : locate(path, key)?.line;
    return { place: placeOf(path), message, ...(line === undefined ? {} : { line }) };
  });
  const order = (p: PipelineProblem): number => p.line ?? (p.place === "" ? 0 : Infinity);
  return problems.sort((a, b) => order(a) - order(b));
}

/**
 * Loads a `.json` or `.yaml` pipeline file: parses it, checks it against the pipeline schema, imports the
 * functions its run bodies name, applies linea's own step rules, and resolves its `hooks:` section against
 * `variables` (left unresolved without them).
 *
 * @param file the path as the caller gave it, for messages; `path` is its absolute form.
 * @throws PipelineFileError listing every problem found.
 */
export async function loadDataPipeline(
  file: string, path: string, kind: "json" | "yaml", env?: EnvironmentChoice, variables?: Readonly<Record<string, string | undefined>>,
): Promise<LoadedPipeline> {
  const text = await readFile(path, "utf8");
  const parsed = kind === "json" ? parseJsonText(text) : parseYamlText(text);
  if (!parsed.ok) throw new PipelineFileError(file, parsed.problems);
  const schemaFindings = validatePipelineDocument(parsed.value);
  // Read only where the schema found nothing wrong (the steps without findings), or once it found nothing at all.
  const document = (isPlainObject(parsed.value) ? parsed.value : {}) as unknown as PipelineFile;
  const fileDir = dirname(path);
  const base = schemaFindings.length === 0 ? fileOptions(document, fileDir, undefined) : {};
  // Modules may also sit beside the file when baseDir is a folder below it.
  const modules = new Sandbox({ baseDir: base.baseDir ?? fileDir, allowPaths: [...(base.allowPaths ?? []), fileDir] });
  const steps: StepsResult = Array.isArray(document.steps) ? await fileSteps(document.steps, schemaFindings, fileDir, modules) : { steps: [], findings: [] };
  const hooks = schemaFindings.length === 0 && variables !== undefined
    ? resolvePipelineHooks(document.hooks, { variables, baseDir: base.baseDir ?? fileDir, allowPaths: base.allowPaths ?? [] })
    : { hooks: undefined, findings: [] };
  const problems = placed([...schemaFindings, ...ownFoldersOutside(base), ...steps.findings, ...hooks.findings], parsed.locate);
  if (problems.length > 0) throw new PipelineFileError(file, problems, steps.cause === undefined ? undefined : { cause: steps.cause });
  const environment = chooseEnvironment(file, document.environments, env);
  const chosen = environment === undefined || env === undefined ? {} : { environment: env.name };
  const options = fileOptions(document, fileDir, environment);
  // An environment's own options are checked once chosen.
  const outside = environment === undefined ? [] : placed(ownFoldersOutside(options), parsed.locate);
  if (outside.length > 0) throw new PipelineFileError(file, outside);
  return { name: document.name, steps: steps.steps, options, path, kind, ...chosen, ...(hooks.hooks === undefined ? {} : { hooks: hooks.hooks }) };
}
