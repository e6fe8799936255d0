import { resolve } from "node:path";
import type { EventBus } from "../events/event-bus.js";
import type { OrchestratorOptions } from "../orchestrator/orchestrator-options.js";
import type { LoadedPipeline } from "../pipeline-file/load-pipeline.js";
import { DEFAULT_PATHS } from "../util/default-paths.js";
import { neutralizeTerminal } from "../util/terminal-text.js";
import type { CliIo } from "./cli-io.js";
import { mergeParams, parseParamFlags } from "./param-flags.js";
import { isPostgresUrl } from "../history/postgres/postgres-url.js";
import { sharedStoreDirs } from "../orchestrator/create-run-services.js";

/** Run options given on the command line. */
export interface RunFlags {
  readonly continueOnError?: boolean;
  readonly maxRetries?: number;
  readonly maxWorkers?: number;
  readonly noCache?: boolean;
  /** `--persist auto|all`: which outputs the cache and checkpoints keep (checked with the other options). */
  readonly persist?: string | undefined;
  /** `--persist-small-cells N`: under `--persist auto`, outputs of at most N cells are always kept. */
  readonly persistSmallCells?: number | undefined;
  /** `--persist-recompute-factor X`: under `--persist auto`, a large output is kept when its step took more than X times the write. */
  readonly persistRecomputeFactor?: number | undefined;
  /** `--queue redis://...`: run steps on a worker pool. */
  readonly queue?: string | undefined;
  /** `--queue-name NAME`: the BullMQ queue's name (the workers' `--queue-name`). */
  readonly queueName?: string | undefined;
  /** `--store ...`: the object store shared with the workers (a relative folder is the current folder's). */
  readonly store?: string | undefined;
  readonly historyDb?: string;
  readonly checkpointDir?: string;
  /** `--param` flags, unparsed: `key=value` or `step.key=value`. */
  readonly params?: readonly string[];
  /** `--allow-path DIR` (repeatable), relative to the current folder: added to the pipeline's own allowPaths. */
  readonly allowPaths?: readonly string[];
}

/**
 * The orchestrator's options for a pipeline run from the CLI: the pipeline's own, then the flags. The
 * cache, checkpoints and history live under `.linea/` of the folder linea is run from (unless the
 * pipeline or a flag says otherwise), so that `linea history` and `linea resume` find them from there.
 */
export function pipelineOptions(pipeline: LoadedPipeline, flags: RunFlags, io: CliIo, eventBus: EventBus): OrchestratorOptions {
  const own = pipeline.options;
  const fromCwd = (path: string | undefined, fallback: string): string => resolve(io.cwd, path ?? fallback);
  // A distributed run keeps its cache and checkpoints in its shared store.
  const store = flags.store !== undefined ? storeAddress(io, flags.store) : own.store;
  const shared = sharedStoreDirs({ queue: flags.queue ?? own.queue, store }, own.baseDir ?? io.cwd);
  return {
    ...own,
    name: pipeline.name,
    steps: pipeline.steps,
    eventBus,
    logger: { warn: (message) => io.err(`linea: warning: ${neutralizeTerminal(message)}\n`) },
    cacheDir: own.cacheDir ?? shared?.cache ?? resolve(io.cwd, DEFAULT_PATHS.cache),
    checkpointDir: flags.checkpointDir !== undefined ? fromCwd(flags.checkpointDir, "") : own.checkpointDir ?? shared?.checkpoints ?? resolve(io.cwd, DEFAULT_PATHS.checkpoints),
    historyDb: flags.historyDb !== undefined ? historyPath(io, flags.historyDb) : own.historyDb ?? resolve(io.cwd, DEFAULT_PATHS.history),
    ...(flags.continueOnError ? { continueOnError: true } : {}),
    ...(flags.maxRetries !== undefined ? { maxRetries: flags.maxRetries } : {}),
    ...(flags.maxWorkers !== undefined ? { maxWorkers: flags.maxWorkers } : {}),
    ...(flags.noCache ? { cache: false } : {}),
    ...(flags.persist !== undefined ? { persist: flags.persist as OrchestratorOptions["persist"] } : {}),
    ...(flags.persistSmallCells !== undefined ? { persistSmallCells: flags.persistSmallCells } : {}),
    ...(flags.persistRecomputeFactor !== undefined ? { persistRecomputeFactor: flags.persistRecomputeFactor } : {}),
    ...mergeParams(own, parseParamFlags(flags.params ?? [], pipeline.steps.map((s) => s.name))),
    ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
    ...(flags.queueName !== undefined ? { queueName: flags.queueName } : {}),
    ...(store !== undefined ? { store } : {}),
    ...(flags.allowPaths !== undefined && flags.allowPaths.length > 0
      ? { allowPaths: [...(own.allowPaths ?? []), ...flags.allowPaths.map((p) => resolve(io.cwd, p))] }
      : {}),
  };
}

/** A `--store` flag: a URL as given, a folder relative to the current folder. */
export function storeAddress(io: CliIo, flag: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(flag) ? flag : resolve(io.cwd, flag);
}

/**
 * Where the CLI's history is: the flag (`--history` or `--history-db`: a file, or a `postgres://` URL), or
 * `.linea/history.duckdb` in the current folder.
 */
export function historyPath(io: CliIo, flag: string | undefined): string {
  if (flag !== undefined && isPostgresUrl(flag)) return flag;
  return resolve(io.cwd, flag ?? DEFAULT_PATHS.history);
}

/** The history flag of a command: `--history` or its older name `--history-db`. */
export function historyFlag(values: { readonly history?: string | undefined; readonly "history-db"?: string | undefined }): string | undefined {
  return values.history ?? values["history-db"];
}

/** Where the CLI's checkpoints are: the flag, or `.linea/checkpoints` in the current folder. */
export function checkpointPath(io: CliIo, flag: string | undefined): string {
  return resolve(io.cwd, flag ?? DEFAULT_PATHS.checkpoints);
}
