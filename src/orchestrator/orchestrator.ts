import { resolve } from "node:path";
import { NothingToResumeError } from "../checkpoint/checkpoint-store.js";
import { policyFromJson, type RunPolicyJson } from "../model/run-policy.js";
import { Engines } from "../engines/engines.js";
import { LineaError } from "../errors/linea-error.js";
import type { RunResult } from "../execute/run-result.js";
import { buildPlan, type PlannedPipeline } from "../plan/build-plan.js";
import type { ExecutionPlan } from "../plan/execution-plan.js";
import { checkStepPaths } from "../sandbox/check-step-paths.js";
import { Sandbox } from "../sandbox/sandbox.js";
import { normalizeStep } from "../step/normalize-step.js";
import { StepDefinitionError } from "../step/step-definition-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { newRunId } from "../util/ids.js";
import { q } from "../util/quote.js";
import { neutralizeTerminal } from "../util/terminal-text.js";
import type { ExecuteOptions, Logger, OrchestratorOptions, ResumeOptions } from "./orchestrator-options.js";
import { runPipeline, type PipelineRun } from "./run-pipeline.js";
import { restrictPlan } from "../plan/restrict-plan.js";
import type { Selection } from "../plan/select-steps.js";
import { checkpointStoreOf, createRunServices, type RunServices } from "./create-run-services.js";
import { localStoreFolder } from "../stores/open-blob-store.js";
import { validateOptions } from "./validate-options.js";
import { applyParams } from "./apply-params.js";
import { dryRun, type DryRunReport } from "./dry-run.js";
import { SqlCheckMemo } from "./sql-check-memo.js";
import { DEFAULT_PATHS } from "../util/default-paths.js";

const defaultLogger: Logger = { warn: (message) => console.warn(`linea: warning: ${neutralizeTerminal(message)}`) };

/**
 * The options a resume runs under: the orchestrator's, then the policy the resumed run ran under (so a run
 * started with the cache off resumes with it off), then what the resume itself says.
 */
function resumedOptions(options: OrchestratorOptions, policy: RunPolicyJson | undefined, given: ResumeOptions): OrchestratorOptions {
  const was = policy === undefined ? undefined : policyFromJson(policy);
  const kept: Partial<OrchestratorOptions> = was === undefined ? {} : {
    cache: was.cache, continueOnError: was.continueOnError, maxWorkers: was.maxWorkers, maxRetries: was.maxRetries, persist: was.persist,
    retry: { ...options.retry, maxRetries: was.retry.maxRetries, delayMs: was.retry.delayMs, backoff: was.retry.backoff,
      maxDelayMs: was.retry.maxDelayMs, jitter: was.retry.jitter },
    ...(was.timeoutMs === null ? {} : { timeoutMs: was.timeoutMs }),
  };
  const said: Partial<OrchestratorOptions> = {};
  for (const key of ["cache", "continueOnError", "maxWorkers", "timeoutMs"] as const) {
    if (given[key] !== undefined) (said as Record<string, unknown>)[key] = given[key];
  }
  if (given.maxRetries !== undefined) Object.assign(said, { maxRetries: given.maxRetries, retry: { ...(kept.retry ?? options.retry), maxRetries: given.maxRetries } });
  return { ...options, ...kept, ...said };
}

/**
 * The façade over linea: validates the steps when constructed, plans (`plan()`, which runs nothing), runs
 * (`execute()`, which never throws because a step failed) and resumes a failed run (`resume(runId)`).
 *
 * @example
 * ```ts
 * const orchestrator = new Orchestrator({ name: "customer_pipeline", steps, maxWorkers: 4 });
 * console.log(orchestrator.plan());
 * const result = await orchestrator.execute();
 * if (result.status === "failed") await orchestrator.resume(result.runId);
 * ```
 */
export class Orchestrator {
  readonly name: string;
  private readonly specs: readonly StepSpec[];
  private readonly options: OrchestratorOptions;
  private readonly logger: Logger;
  /** Where the pipeline may read and write: its baseDir and allowed paths. */
  readonly sandbox: Sandbox;
  /** Its engines (the registered ones and those of `options.engines`), each opened on first use. */
  private readonly engines: Engines;
  private runServices: RunServices | undefined;
  /** The check of the sql bodies, made once: steps never change after construction. */
  private sqlChecked: Promise<void> | undefined;
  /** The memo keys of the bodies the check parsed and passed, until a run writes them down. */
  private sqlToRemember: string[] | undefined;
  /** The last plan made, by its source names: steps never change after construction. */
  private lastPlan: { key: string; planned: PlannedPipeline } | undefined;

  /** @throws StepDefinitionError for a malformed step; InvalidOptionsError for a malformed option. */
  constructor(options: OrchestratorOptions) {
    validateOptions(options);
    this.options = options;
    this.name = options.name;
    this.logger = options.logger ?? defaultLogger;
    // Before the steps are read: a step may name one of these engines.
    this.engines = new Engines({
      engines: options.engines ?? [],
      host: (engine) => ({ options: (options as unknown as Record<string, unknown>)[engine.name], access: this.sandbox.duckdbAccess() }),
    });
    const scope = { engines: this.engines.list.map((e) => e.name) };
    this.specs = applyParams(options.steps.map((step, index) => normalizeStep(step, index, scope)), options);
    const baseDir = resolve(options.baseDir ?? process.cwd());
    this.sandbox = new Sandbox({
      baseDir,
      allowPaths: options.allowPaths ?? [],
      ownDirs: [
        // An instance (a store of the caller's own) is not a folder DuckDB opens here, except the local copies it makes.
        ...(typeof (options.cacheDir ?? "") === "string" ? [resolve(baseDir, (options.cacheDir as string | undefined) ?? ".linea/cache")] : []),
        ...(typeof options.cacheDir === "object" ? options.cacheDir.objects.localDirectories ?? [] : []),
        ...(typeof (options.checkpointDir ?? "") === "string" ? [resolve(baseDir, (options.checkpointDir as string | undefined) ?? ".linea/checkpoints")] : []),
        ...(options.duckdb?.tempDirectory === undefined ? [] : [resolve(baseDir, options.duckdb.tempDirectory)]),
        // A distributed run's shared folder holds its cache and checkpoints.
        ...(options.queue !== undefined && options.store !== undefined ? [localStoreFolder(options.store, baseDir)].filter((d): d is string => d !== undefined) : []),
      ],
    });
  }

  /**
   * The execution plan; nothing runs. Sources given to the constructor count as supplied; pass the names of
   * those you will give to `execute()` (or the sources themselves). With `select`/`exclude`, the plan of the
   * selected steps, with `selection` saying which datasets they reuse from unselected steps.
   * @throws PlanError (DuplicateStepError, DuplicateOutputError, MissingInputError, CycleError, SandboxError); SelectionError;
   * DanfoMissingError when a step runs on danfo and danfojs-node is not installed
   */
  plan(options: { sources?: Iterable<string> | Readonly<Record<string, unknown>> } & Selection = {}): ExecutionPlan {
    const names = this.sourceNames(options.sources);
    const full = this.planned(names);
    return restrictPlan(full, options, { pipelineName: this.name, sources: names })?.planned.plan ?? full.plan;
  }

  /**
   * The execution plan, once everything that can be checked before a run is: {@link plan}'s checks, and
   * each `sql` body parsed by DuckDB (exactly one SELECT). Nothing runs.
   * @throws PlanError as `plan()`; StepDefinitionError for a `sql` body that is not exactly one SELECT.
   */
  async validate(options: { sources?: Iterable<string> | Readonly<Record<string, unknown>> } & Selection = {}): Promise<ExecutionPlan> {
    const plan = this.plan(options);
    await this.checkSql();
    return plan;
  }

  /**
   * Runs the pipeline. Planning errors throw (nothing has run): those of {@link validate}. Step failures are
   * in the result.
   */
  async execute(options: ExecuteOptions = {}): Promise<RunResult> {
    const sources = { ...this.options.sources, ...options.sources };
    const full = this.planned(Object.keys(sources));
    const unversionedSources = this.startHashingSources();
    await this.checkSqlForRun();
    return runPipeline({
      options: this.options, logger: this.logger, planned: full, sources, unversionedSources,
      signal: options.signal, runId: newRunId(), attempt: 1, resume: undefined, pipelinePath: options.pipelinePath,
      engines: this.engines, services: this.services(), ...this.selectionOf(full, options, Object.keys(sources)),
    });
  }

  /** The planned selection of a run, replacing the whole plan, when `select`/`exclude` narrow it. */
  private selectionOf(full: PlannedPipeline, selection: Selection, sourceNames: string[]): Partial<PipelineRun> {
    const restricted = restrictPlan(full, selection, { pipelineName: this.name, sources: sourceNames });
    if (restricted === undefined) return {};
    const expression = [selection.select, selection.exclude === undefined ? undefined : `exclude ${selection.exclude}`].filter((x) => x !== undefined).join(" ");
    return { planned: restricted.planned, selection: { full, external: restricted.external, expression } };
  }

  /**
   * What `execute(options)` would do: for each step of the plan (of the selection, with `select`/`exclude`),
   * whether it would run or be reused, and why it would run (its cache miss reason). Runs nothing, stores
   * nothing, records nothing.
   * @throws PlanError, SelectionError as `execute` would.
   */
  async dryRun(options: ExecuteOptions = {}): Promise<DryRunReport> {
    const sources = { ...this.options.sources, ...options.sources };
    const full = this.planned(Object.keys(sources));
    const restricted = restrictPlan(full, options, { pipelineName: this.name, sources: Object.keys(sources) });
    return dryRun({
      options: this.options, full, planned: restricted?.planned ?? full, sources, engines: this.engines,
      warn: (message) => this.logger.warn(message),
    });
  }

  /**
   * Runs a failed (or interrupted, or crashed) run again under the same run id and the next attempt number:
   * the outputs of the steps that succeeded are restored from its checkpoint, and only the failed, blocked,
   * aborted and never-started steps run. A succeeded step whose code, params or inputs changed since runs
   * again too (its key no longer matches). Works with the cache off. Sources must be given again.
   * @throws CheckpointNotFoundError when the run has no checkpoint; LineaError when it is another pipeline's.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<RunResult> {
    const store = this.services().checkpoints ?? checkpointStoreOf(this.options.checkpointDir, this.options.baseDir ?? process.cwd());
    const checkpoint = await store.load(runId);
    if (checkpoint.run.pipelineName !== this.name) {
      throw new LineaError(
        "CHECKPOINT",
        `Run ${q(runId)} belongs to pipeline ${q(checkpoint.run.pipelineName)}, not ${q(this.name)}. Resume it with that pipeline's orchestrator.`,
      );
    }
    if (checkpoint.run.status === "success") throw new NothingToResumeError(runId, checkpoint.run.attempt);
    const resumed = resumedOptions(this.options, checkpoint.run.policy, options);
    validateOptions(resumed);
    const sources = { ...this.options.sources, ...options.sources };
    const planned = this.planned(Object.keys(sources));
    await this.checkSqlForRun();
    return runPipeline({
      options: resumed, logger: this.logger, planned, sources,
      signal: options.signal, runId, attempt: checkpoint.run.attempt + 1, resume: checkpoint,
      pipelinePath: options.pipelinePath, engines: this.engines, services: { ...this.services(), cache: resumed.cache !== false },
    });
  }

  /** Closes the engines of this orchestrator (its DuckDB instance); data maps of its runs become unusable. */
  async close(): Promise<void> {
    await this.engines.close();
  }

  private planned(sourceNames: Iterable<string>): PlannedPipeline {
    const names = [...new Set(sourceNames)].sort();
    const key = names.join("\u0000");
    if (this.lastPlan?.key !== key) {
      const planned = buildPlan(this.specs, { pipelineName: this.name, sources: names });
      for (const engine of this.engines.list) engine.checkPlan?.(this.specs);
      checkStepPaths(this.specs, this.sandbox);
      this.lastPlan = { key, planned };
    }
    return this.lastPlan.planned;
  }

  /** Throws for the first `sql` body (in declaration order) that the SQL engine (DuckDB's parser) finds is not exactly one SELECT. */
  private checkSql(): Promise<void> {
    const sqlSteps = this.specs.filter((s) => s.body.kind === "sql");
    const engine = this.engines.forBody("sql");
    const sqlProblem = engine?.sqlProblem;
    if (sqlSteps.length === 0 || engine === undefined || sqlProblem === undefined) return Promise.resolve();
    this.sqlChecked ??= (async () => {
      // Bodies that passed before are not parsed again: a run whose SQL is unchanged does not open the engine for it.
      const memo = this.sqlCheckMemo();
      const keys = sqlSteps.map((spec) => SqlCheckMemo.keyOf(engine.name, engine.version(), (spec.body as { sql: string }).sql));
      const unchecked = [];
      for (const [i, spec] of sqlSteps.entries()) if (!(await memo?.has(keys[i] as string))) unchecked.push(spec);
      if (unchecked.length === 0) return;
      const instance = await this.engines.instance(engine.name);
      if (instance === undefined) return;
      for (const spec of unchecked) {
        const problem = await sqlProblem.call(engine, (spec.body as { sql: string }).sql, instance);
        if (problem !== undefined) throw new StepDefinitionError(spec.name, [problem]);
      }
      this.sqlToRemember = keys;
    })();
    const checked = this.sqlChecked;
    // A failed check is not kept: an engine that could not open may open next time.
    checked.catch(() => { if (this.sqlChecked === checked) this.sqlChecked = undefined; });
    return checked;
  }

  /**
   * Checks the `sql` bodies (once), and, for a run, remembers the passes: planning alone (`plan`, `validate`,
   * a dry run) leaves no file behind.
   */
  private async checkSqlForRun(): Promise<void> {
    await this.checkSql();
    const keys = this.sqlToRemember;
    this.sqlToRemember = undefined;
    if (keys !== undefined) await this.sqlCheckMemo()?.add(keys);
  }

  /** Where passed SQL checks are remembered: the cache folder's `checked-sql.json`; none without a cache folder. */
  private sqlCheckMemo(): SqlCheckMemo | undefined {
    const { cache, cacheDir, baseDir } = this.options;
    if (cache === false || (cacheDir !== undefined && typeof cacheDir !== "string")) return undefined;
    return new SqlCheckMemo(resolve(baseDir ?? process.cwd(), cacheDir ?? DEFAULT_PATHS.cache, "checked-sql.json"));
  }

  private sourceNames(extra: Iterable<string> | Readonly<Record<string, unknown>> | undefined): string[] {
    const names = Object.keys(this.options.sources ?? {});
    if (extra === undefined) return names;
    const more = typeof (extra as Iterable<string>)[Symbol.iterator] === "function" ? [...(extra as Iterable<string>)] : Object.keys(extra);
    return [...names, ...more];
  }

  /**
   * Starts finding the content versions of the read steps' source files (hashing a file whose size or mtime
   * changed) while the SQL is checked: the run's planning, which needs them for the read steps' keys, then
   * takes the same answers. A 186 MB CSV took about 0.2 s to hash, before any step could start. Best-effort:
   * planning asks again, and says what went wrong. Resolves to the files that are new or changed in size
   * since they were last hashed (not those only touched: probably unchanged, their steps probably reused):
   * the run reads them while they are hashed (see ReadAhead).
   */
  private startHashingSources(): Promise<ReadonlySet<string>> | undefined {
    const fileVersions = this.services().fileVersions;
    if (fileVersions === undefined || this.options.cache === false) return undefined;
    const baseDir = this.options.baseDir ?? process.cwd();
    const unversioned: Promise<string | undefined>[] = [];
    for (let i = 0; i < this.specs.length; i++) {
      const spec = this.specs[i] as StepSpec;
      if (spec.body.kind !== "read") continue;
      const path = resolve(baseDir, spec.body.path);
      // The state before the hashing, so the answer is what the run began with.
      unversioned.push(fileVersions.startFinding(path).then((state) => (state === "new" ? path : undefined), () => path));
    }
    return Promise.all(unversioned).then((paths) => new Set(paths.filter((p): p is string => p !== undefined)));
  }

  /** The stores of this orchestrator's runs, built on first use from its options. */
  private services(): RunServices {
    this.runServices ??= createRunServices(this.options);
    return this.runServices;
  }
}
