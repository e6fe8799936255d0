import type { OrchestratorOptions } from "../orchestrator/orchestrator-options.js";
import type { Step } from "../step/step.js";
import type { PipelineHooks } from "./resolve-pipeline-hooks.js";

/** The kinds of pipeline file: a TypeScript or JavaScript module, or a JSON or YAML document. */
export const PIPELINE_KINDS = ["module", "json", "yaml"] as const;
export type PipelineKind = (typeof PIPELINE_KINDS)[number];

/** A pipeline file, loaded and checked: everything `new Orchestrator({ name, steps, ...options })` needs. */
export interface LoadedPipeline {
  readonly name: string;
  readonly steps: Step[];
  /**
   * The file's run options, with `baseDir` always set and absolute. For a JSON or YAML file, `cacheDir`,
   * `checkpointDir` and `historyDb` are absolute too (resolved against `baseDir`).
   */
  readonly options: Partial<OrchestratorOptions>;
  /** The file's absolute path. */
  readonly path: string;
  readonly kind: PipelineKind;
  /** The environment it was loaded in, if any. */
  readonly environment?: string;
  /**
   * A JSON or YAML file's `hooks:` section, resolved (variables expanded, paths absolute and checked); what
   * `registerPipelineHooks` registers. Its JSON form masks the secrets.
   */
  readonly hooks?: PipelineHooks;
}
