import { resolve } from "node:path";
import { setMaxListeners } from "node:events";
import type { NodeDecision } from "../cache/node-decision.js";
import { DEFAULT_PERSIST_SMALL_CELLS } from "../cache/persist-policy.js";
import { ResultKeeper } from "../cache/result-keeper.js";
import { ReusePlanner } from "../cache/reuse-planner.js";
import type { LoadedCheckpoint } from "../checkpoint/checkpoint-store.js";
import { CheckpointWriter } from "../checkpoint/checkpoint-writer.js";
import { pruneCheckpoints } from "../checkpoint/prune-checkpoints.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { DataMap } from "../data/data-map.js";
import type { Engines } from "../engines/engines.js";
import type { Engine } from "../engines/engine.js";
import type { EventBus } from "../events/event-bus.js";
import { RunEvents } from "../events/run-events.js";
import { countByStatus, totalRows, type NodeResult } from "../model/run-model.js";
import type { RunContext, RunSettings } from "../execute/run-context.js";
import { ReadAhead } from "../execute/read-ahead.js";
import { InProcessStepExecutor } from "../execute/in-process-step-executor.js";
import type { StepExecutor } from "../execute/step-executor.js";
import { runNode, type NodeCacheInfo } from "../execute/run-node.js";
import { isPromiseLike } from "../util/is-promise-like.js";
import type { RunResult, RunWarning } from "../execute/run-result.js";
import { RunRuntime } from "../execute/run-runtime.js";
import { schedule } from "../execute/schedule.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { DatasetValue } from "../step/step.js";
import type { StepSpec } from "../step/step-spec.js";
import type { HistoryRunRecorder } from "../history/history-store.js";
import { startHousekeeping } from "./run-housekeeping.js";
import { policyToJson, runPolicyOf, type RunPolicy } from "../model/run-policy.js";
import { Tracker } from "../track/tracker.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { engineVersions } from "./engine-versions.js";
import type { Logger, OrchestratorOptions } from "./orchestrator-options.js";
import { sourceHandle } from "./source-handle.js";
import { previewReuse } from "../cache/preview-reuse.js";
import { findStoredInputs, registerStoredInputs, type MissingStoredInput } from "../cache/stored-inputs.js";
import type { ExternalInput } from "../plan/restrict-plan.js";
import { SelectionError } from "../plan/selection-error.js";
import { q, qList } from "../util/quote.js";
import { checkpointStoreOf, SHARED_OBJECTS_LOCAL_DIR } from "./create-run-services.js";
import { cacheStorageOf, type RunServices } from "./create-run-services.js";
import { FileVersions } from "../cache/file-versions.js";
import { keyedRecord } from "../util/keyed-record.js";
import { settleWithin } from "../util/settle-within.js";

export { DEFAULT_CACHE_MAX_BYTES } from "./create-run-services.js";

/** One run to make: a fresh one (attempt 1) or the resume of an earlier one. */
export interface PipelineRun {
  readonly options: OrchestratorOptions;
  readonly logger: Logger;
  readonly planned: PlannedPipeline;
  readonly sources: Readonly<Record<string, DatasetValue>>;
  readonly signal: AbortSignal | undefined;
  readonly runId: string;
  readonly attempt: number;
  readonly resume: LoadedCheckpoint | undefined;
  readonly pipelinePath: string | undefined;
  /** The orchestrator's engines. */
  readonly engines: Engines;
  /** The run's stores (see createRunServices). */
  readonly services: RunServices;
  /**
   * Set when `planned` is a selection of the pipeline: the whole pipeline's plan (for the keys of the
   * unselected steps) and the datasets the selection reads from unselected steps (reused from stored data).
   */
  readonly selection?: { readonly full: PlannedPipeline; readonly external: readonly ExternalInput[]; readonly expression: string };
  /**
   * The read steps' source files that were new or changed in size as the run began (they are being
   * hashed): their steps are read ahead. Without it, the run asks the file versions itself.
   */
  readonly unversionedSources?: Promise<ReadonlySet<string>> | undefined;
}

/** The error of a selection whose inputs from unselected steps are not stored. */
function missingInputsError(expression: string, missing: readonly MissingStoredInput[]): SelectionError {
  const producers = [...new Set(missing.map((m) => m.producer))].sort();
  const details = missing
    .map((m) => `${q(m.input.dataset)} (read by ${qList(m.input.consumers)}) comes from unselected step ${q(m.producer)}, which has no stored result: ${m.reason}`)
    .join("; ");
  return new SelectionError(
    expression,
    `Cannot run the selection ${q(expression)}: ${details}. Add ${producers.length === 1 ? "this step" : "these steps"} to the selection (${producers.join(",")}), or run ${producers.length === 1 ? "it" : "them"} once so that ${producers.length === 1 ? "its" : "their"} results are cached.`,
    producers,
  );
}

function settingsOf(options: OrchestratorOptions): RunSettings {
  return {
    maxWorkers: options.maxWorkers ?? 4,
    continueOnError: options.continueOnError ?? false,
    retry: { maxRetries: options.maxRetries ?? 0, ...options.retry },
    timeoutMs: options.timeoutMs,
    baseDir: options.baseDir ?? process.cwd(),
  };
}

/** The run's own signal, following the caller's: every attempt listens to it, so it may have many listeners. */
function runSignal(given: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const interrupt = new AbortController();
  setMaxListeners(0, interrupt.signal);
  const onAbort = (): void => interrupt.abort(given?.reason);
  if (given?.aborted) onAbort();
  else given?.addEventListener("abort", onAbort, { once: true });
  return { signal: interrupt.signal, release: () => given?.removeEventListener("abort", onAbort) };
}

/** Forwards the run's events to the user's bus, and the bus's hook warnings of this run to the run. */
function bridge(bus: EventBus, events: RunEvents, runId: string, warn: (source: string, message: string) => void): Array<() => void> {
  return [
    events.subscribe("event bus", (type, payload) => bus.emit(type, payload)),
    bus.onHookWarning((id, message) => {
      if (id === runId) warn("hook", message);
    }),
  ];
}

/**
 * How long a run waits, before its first step, for the history to keep its start (a spool line for the
 * DuckDB history, a row for PostgreSQL). Longer only when the history is slow or hangs: then the run goes on
 * without it (a write that then fails is a warning of the recorder's).
 */
const HISTORY_BEGIN_WAIT_MS = 2000;

/** What the cache says of a node when the run has no cache. */
const NO_CACHE: NodeCacheInfo = {};

/** Where a run's result comes from: the outcome of every node, or the error that stopped the scheduler. */
interface NodeOutcomes {
  readonly results: NodeResult[];
  readonly fatal: unknown;
}

/**
 * One run from start to end, in three phases: {@link RunSession.open} (sources into the data map, the
 * observers, the cache's decisions), {@link RunSession.runNodes} (the scheduler over reused and running
 * nodes), {@link RunSession.close} (the closing events, snapshots, history, stored results, checkpoint).
 */
class RunSession {
  readonly warnings: RunWarning[] = [];
  readonly settings: RunSettings;
  readonly runtime: RunRuntime;
  readonly dataMap = new DataMap();
  readonly events: RunEvents;
  readonly tracker: Tracker;
  /** True when the tracker makes its records from the results at the end (see the constructor). */
  private readonly trackerFromResults: boolean;
  /** The time of the run's pipeline_start event. */
  private pipelineStartTime = "";
  readonly detach: Array<() => void> = [];
  readonly signal: AbortSignal;
  readonly releaseSignal: () => void;
  readonly policy: RunPolicy;
  readonly history: HistoryRunRecorder | undefined;
  readonly planner: ReusePlanner | undefined;
  /** Made once the plan is (in {@link RunSession.open}). */
  keeper: ResultKeeper | undefined;
  /** What each node's execution needs from the run. */
  readonly rc: RunContext;
  /** Read steps started before the plan was made, if any (see {@link RunSession.startReadAhead}). */
  private readAhead: ReadAhead | undefined;
  /** Made when the run starts (in {@link RunSession.open}). */
  checkpoint: CheckpointWriter | undefined;
  readonly pipelinePath: string | undefined;
  /** The worker pool's executor, for a run with a `queue`: it runs every step whose placement is not "local". */
  private remote: StepExecutor | undefined;
  startTime = new Date().toISOString();
  private started = performance.now();
  /** The tidying the run starts with (stale temporary files, crashed runs), waited for at its end. */
  private housekeeping: Promise<void> = Promise.resolve();

  private constructor(private readonly run: PipelineRun) {
    const { options, planned, runId } = run;
    const pipelineName = options.name;
    const batchRunId = planned.plan.batchRunId;
    this.settings = settingsOf(options);
    this.runtime = new RunRuntime(run.engines);
    this.events = new RunEvents({ pipelineName, runId, batchRunId }, (message) => this.warn("observer", message));
    // With no snapshots, no event bus and no history, nobody can look at the tracker until the run has ended:
    // it makes its records from the nodes' results then, and no event of a node is built for it.
    this.trackerFromResults = options.enableTracker === false && options.eventBus === undefined && run.services.history === undefined;
    this.tracker = new Tracker({
      pipelineName, runId, batchRunId, runAttempt: run.attempt, plan: planned.plan, specs: planned.dag.specs, order: planned.order,
      baseDir: this.settings.baseDir, dataMap: this.dataMap, snapshots: options.enableTracker !== false,
      sampleRows: options.sampleRows ?? 5, redact: options.redact ?? [], warn: (message) => this.warn("tracker", message),
      fromResults: this.trackerFromResults,
    });
    if (!this.trackerFromResults) this.detach.push(this.tracker.observe(this.events));
    if (options.eventBus) this.detach.push(...bridge(options.eventBus, this.events, runId, (s, m) => this.warn(s, m)));
    ({ signal: this.signal, release: this.releaseSignal } = runSignal(run.signal));
    this.policy = runPolicyOf(options);
    const services = run.services;
    const history = services.history?.recorder(
      { runId, attempt: run.attempt, pipelineName, batchRunId }, (message) => this.warn("history", message),
    );
    this.history = history;
    if (history) this.detach.push(this.events.subscribe("history", (type, payload) => history.record(type, payload)));
    this.pipelinePath = run.pipelinePath ?? run.resume?.run.pipelinePath;
    const { objects, index, fileVersions } = services;
    this.planner = objects === undefined || index === undefined || fileVersions === undefined ? undefined : new ReusePlanner({
      objects, index, fileVersions, cache: services.cache, baseDir: this.settings.baseDir, versions: engineVersions(run.engines),
      resume: run.resume, warn: (message) => this.warn("cache", message),
    });
    this.rc = {
      runId, runAttempt: run.attempt, pipelineName, planned, settings: this.settings, dataMap: this.dataMap, runtime: this.runtime,
      signal: this.signal, events: this.events, warn: (s, m) => this.warn(s, m),
    };
  }

  /** Opens a run: its sources, observers and cache decisions; then emits pipeline_start. */
  static async open(run: PipelineRun): Promise<RunSession> {
    const session = new RunSession(run);
    // A distributed run also trims its checked local copies of the shared store's objects to the cache's size limit.
    const localCopies = run.options.queue === undefined ? undefined : { dir: resolve(session.settings.baseDir, SHARED_OBJECTS_LOCAL_DIR), maxBytes: run.services.cacheMaxBytes };
    session.housekeeping = startHousekeeping(run.services, session.settings.baseDir, (source, message) => session.warn(source, message), localCopies);
    for (const [name, value] of Object.entries(run.sources)) session.dataMap.set(await sourceHandle(name, value, session.runtime));
    if (run.selection !== undefined) await session.loadSelectionInputs(run.selection);
    if (run.options.queue !== undefined) await session.openRemote(run.options.queue, run.options.store ?? "", run.options.queueName);
    try {
      await session.decide();
      await session.begin();
    } catch (error) {
      // Reads started ahead stop and let go of their data: nothing will take them.
      await session.readAhead?.close();
      throw error;
    }
    return session;
  }

  /**
   * The cache's decisions (the plan of what is reused) and the keeper of results. Reads are started ahead
   * while the plan hashes their files; those it reuses stop.
   */
  private async decide(): Promise<void> {
    const run = this.run;
    const { objects, index, fileVersions, cacheMaxBytes } = run.services;
    if (this.planner === undefined || !objects || !index || !fileVersions) return;
    await this.startReadAhead(fileVersions);
    const keeper = new ResultKeeper({
      objects, index, fileVersions, plan: await this.planner.plan(run.planned, this.dataMap), specs: run.planned.dag.specs,
      baseDir: this.settings.baseDir, pipelineName: run.options.name, maxBytes: cacheMaxBytes, warn: (message) => this.warn("cache", message),
      persist: {
        mode: run.options.persist ?? "auto", smallCells: run.options.persistSmallCells ?? DEFAULT_PERSIST_SMALL_CELLS,
        ...(run.options.persistWriteNsPerCell !== undefined ? { writeNsPerCell: run.options.persistWriteNsPerCell } : {}),
        ...(run.options.persistRecomputeFactor !== undefined ? { recomputeFactor: run.options.persistRecomputeFactor } : {}),
      },
    });
    this.keeper = keeper;
    const readAhead = this.readAhead;
    for (const i of readAhead?.indexes ?? []) if (keeper.decision(i)?.reuse !== undefined) readAhead?.cancel(i);
  }

  /** The rest of opening, once the plan is made: engines preloaded, the run's start recorded, pipeline_start. */
  private async begin(): Promise<void> {
    const run = this.run;
    // Importing danfo blocks the event loop for about a second; do it before the clock starts rather than in
    // the middle of the run, where it would be charged to whichever steps happen to be running.
    // A run whose danfo steps are all reused never loads danfo.
    const preloading = run.engines.list.filter((e) => e.preload !== undefined);
    if (preloading.length > 0) {
      const due = new Set<Engine>();
      const specs = run.planned.dag.specs;
      // A step whose body is of the same kind and engine as the one before it adds nothing.
      let lastKind: string | undefined;
      let lastEngine: string | undefined;
      for (let i = 0; i < specs.length && due.size < preloading.length; i++) {
        const spec = specs[i] as StepSpec;
        if (this.keeper?.decision(spec.index)?.reuse !== undefined) continue;
        const body = spec.body;
        const engineName = body.kind === "run" ? body.engine : undefined;
        if (body.kind === lastKind && engineName === lastEngine) continue;
        lastKind = body.kind;
        lastEngine = engineName;
        const engine = run.engines.ofStep(spec);
        if (engine?.preload !== undefined) due.add(engine);
      }
      for (const engine of due) await engine.preload?.();
    }
    this.startTime = new Date().toISOString();
    this.started = performance.now();
    // The run's start is kept (spooled, or a row) before any step runs, so that a run killed at any moment
    // after this shows in the history and can be resumed; bounded, as every history write is.
    const begun = this.history?.begin({ startTime: this.startTime, policy: this.policy, ...this.pathField() });
    const checkpoints = run.services.checkpoints;
    if (checkpoints) {
      const checkpoint = new CheckpointWriter(checkpoints, {
        format: 1, runId: run.runId, pipelineName: run.options.name, batchRunId: run.planned.plan.batchRunId, attempt: run.attempt,
        startTime: run.resume?.run.startTime ?? this.startTime, steps: run.planned.plan.order, ...this.pathField(),
        policy: policyToJson(this.policy),
      }, (message) => this.warn("checkpoint", message));
      this.keeper?.onKept((result) => checkpoint.record(result));
      this.checkpoint = checkpoint;
      await checkpoint.start();
    }
    // Past the wait, the write goes on behind the run; if it fails, the recorder says so.
    if (begun !== undefined) await settleWithin(begun, HISTORY_BEGIN_WAIT_MS);
    this.pipelineStartTime = nowIso();
    this.events.emit("pipeline_start", {
      stepCount: run.planned.order.length, steps: run.planned.plan.order, maxWorkers: this.settings.maxWorkers,
      continueOnError: this.settings.continueOnError, runAttempt: run.attempt,
    }, undefined, this.pipelineStartTime);
  }

  /**
   * Starts reading, before the plan is made, the read steps whose source file the plan must hash first and
   * that probably changed (new to the cache, or another size; a file only touched probably did not, and its
   * step is then probably reused): see {@link ReadAhead}. Only among the steps the scheduler starts first (the
   * first `maxWorkers` steps without upstream, in plan order), so no more steps run at once than it allows;
   * only for a run whose steps all run in this process.
   */
  private async startReadAhead(fileVersions: FileVersions): Promise<void> {
    const { options, planned } = this.run;
    if (options.queue !== undefined || options.executor !== undefined) return;
    const unversioned = await this.run.unversionedSources;
    const { order, dag } = planned;
    let first = 0;
    for (let o = 0; o < order.length && first < this.settings.maxWorkers; o++) {
      const index = order[o] as number;
      if ((dag.upstream[index] as readonly number[]).length > 0) continue;
      first++;
      const spec = dag.specs[index] as StepSpec;
      if (spec.body.kind !== "read") continue;
      const path = resolve(this.settings.baseDir, spec.body.path);
      if (unversioned !== undefined ? !unversioned.has(path) : (await fileVersions.state(path)) !== "new") continue;
      this.readAhead ??= this.rc.readAhead = new ReadAhead(this.rc);
      this.readAhead.start(spec);
    }
  }

  /**
   * For a selection: the datasets its steps read from unselected steps, from the cache or a recent
   * checkpoint, as handles of stored data. When one is not stored, the run ends before it starts (nothing
   * is recorded) with a SelectionError naming the steps to add.
   */
  private async loadSelectionInputs(selection: NonNullable<PipelineRun["selection"]>): Promise<void> {
    const { options, services } = this.run;
    const storage = cacheStorageOf(options.cacheDir, this.settings.baseDir);
    const preview = await previewReuse(selection.full, this.dataMap, {
      objects: services.objects ?? storage.objects, index: services.index ?? storage.index,
      fileVersions: services.fileVersions ?? new FileVersions(storage.fileVersionsDir), baseDir: this.settings.baseDir,
      cache: options.cache !== false, versions: engineVersions(this.run.engines), warn: (message) => this.warn("cache", message),
    });
    const checkpoints = services.checkpoints ?? checkpointStoreOf(options.checkpointDir, this.settings.baseDir);
    const { found, missing } = await findStoredInputs(selection.full, selection.external, preview, { checkpoints, pipelineName: options.name });
    if (missing.length > 0) {
      for (const stop of this.detach) stop();
      this.releaseSignal();
      await this.runtime.dispose();
      throw missingInputsError(selection.expression, missing);
    }
    registerStoredInputs(found, preview, this.dataMap, this.runtime);
  }

  /**
   * Opens the worker pool's queue and the shared object store (loaded only for a run that has a queue).
   * An unreachable Redis or store ends the run before it starts, with an error naming it.
   */
  private async openRemote(queue: string, store: string, queueName: string | undefined): Promise<void> {
    const { QueueStepExecutor } = await import("../distributed/queue-step-executor.js");
    const { options, planned, runId, attempt } = this.run;
    try {
      this.remote = await QueueStepExecutor.open({
        queue, queueName, store, baseDir: this.settings.baseDir, localCacheDir: resolve(this.settings.baseDir, SHARED_OBJECTS_LOCAL_DIR),
        pipelineName: options.name, specs: planned.dag.specs, runId, runAttempt: attempt,
        dataMap: this.dataMap, runtime: this.runtime, redact: options.redact, sampleRows: options.sampleRows,
        notice: (message) => this.warn("queue", message),
      });
    } catch (error) {
      for (const stop of this.detach) stop();
      this.releaseSignal();
      await this.runtime.dispose();
      throw error;
    }
  }

  /** Runs the scheduler: each node is reused (from the cache or a checkpoint) or run, then kept. */
  async runNodes(): Promise<NodeOutcomes> {
    const { planned, runId, options } = this.run;
    const specs = planned.dag.specs;
    const rc = this.rc;
    const local = new InProcessStepExecutor(rc);
    const executor = typeof options.executor === "function" ? options.executor(local) : options.executor ?? local;
    // With a worker pool, each step goes to it unless it is placed in the coordinator.
    const remote = this.remote;
    const executorOf = (spec: StepSpec): StepExecutor => (remote !== undefined && spec.source.placement !== "local" ? remote : executor);
    try {
      const results = await schedule(planned, { ...this.settings, signal: this.signal }, {
        // Synchronous for a node that ends at once (a quick step in this process): no promise per node.
        run: (index) => {
          const spec = specs[index] as StepSpec;
          const decision = this.keeper?.decision(index);
          if (decision?.reuse !== undefined) return this.withKeyParts(index, this.reuse(spec, decision));
          const cache = decision === undefined ? NO_CACHE : { key: decision.key, miss: decision.missReason ?? decision.uncacheable, dataVersions: decision.dataVersions };
          const ran = runNode(spec, rc, executorOf(spec), cache);
          return isPromiseLike(ran) ? Promise.resolve(ran).then((result) => this.ran(index, spec, result)) : this.ran(index, spec, ran);
        },
        skipped: (index, result) => {
          const spec = specs[index] as StepSpec;
          this.keeper?.nodeEnded(spec);
          this.events.emit("node_skipped", {
            stepName: spec.name, layer: spec.layer, status: "skipped",
            kind: result.kind ?? "aborted", blockedBy: result.blockedBy, statusReason: result.statusReason ?? "fail_fast_abort",
          }, index);
        },
      });
      return { results, fatal: undefined };
    } catch (error) {
      return { results: specs.map(() => ({ status: "failed", attempts: 0, attemptLog: [], durationMs: 0, error: error as Error })), fatal: error };
    }
  }

  /**
   * Ends the run: its closing event, snapshots and hooks, the result; then the history (written while the
   * last results are kept: it needs the result and the tracker, not the cache), and last the checkpoint
   * manifest, once everything it points at is kept.
   */
  async close({ results, fatal }: NodeOutcomes): Promise<RunResult> {
    const { planned, runId, options } = this.run;
    const specs = planned.dag.specs;
    const counts = countByStatus(results);
    const failedSteps = planned.order.filter((i) => results[i]?.status === "failed").map((i) => specs[i]?.name ?? "?");
    const interrupted = this.signal.aborted;
    const status = fatal === undefined && failedSteps.length === 0 && !interrupted ? "success" : "failed";
    const durationMs = performance.now() - this.started;
    const endedAt = nowIso();
    if (status === "success") this.events.emit("pipeline_complete", { status, durationMs, counts }, undefined, endedAt);
    else {
      const errorText = fatal !== undefined
        ? errorMessage(fatal)
        : interrupted ? "the run was interrupted" : `${failedSteps.length} step(s) failed: ${failedSteps.join(", ")}`;
      this.events.emit("pipeline_error", { status, durationMs, counts, errorMessage: errorText, failedSteps, interrupted }, undefined, endedAt);
    }
    if (this.trackerFromResults) this.tracker.recordResults(results, { status, startTime: this.pipelineStartTime, endTime: endedAt, durationMs });
    // The tracker's probes under way land now; its records are made whole when first read (see Tracker.landed).
    // A read started ahead that no node took (a fail-fast run ended first) lets go of its data.
    const [undelivered] = await Promise.all([options.eventBus?.drain(runId), this.tracker.landed(), this.readAhead?.close()]);
    if (undelivered !== undefined) this.warn("hook", undelivered);
    const nodes = keyedRecord<NodeResult>();
    for (let p = 0; p < planned.order.length; p++) {
      const index = planned.order[p] as number;
      nodes[specs[index]?.name ?? "?"] = results[index] as NodeResult;
    }
    const runtime = this.runtime;
    const result: RunResult = {
      runId, batchRunId: planned.plan.batchRunId, pipelineName: options.name, status, interrupted, runAttempt: this.run.attempt,
      startTime: this.startTime, endTime: new Date().toISOString(), durationMs, nodes, counts, plan: planned.plan,
      dataMap: this.dataMap, tracker: this.tracker, warnings: this.warnings, persisted: this.keeper?.persisted ?? [], dispose: () => runtime.dispose(),
    };
    const exitCode = interrupted ? 130 : status === "success" ? 0 : 1;
    await this.housekeeping;
    await Promise.all([this.history?.finish(result, { exitCode, policy: this.policy, ...this.pathField() }), this.keeper?.settled()]);
    // Independent of each other: the final manifest (then, on success, pruning old checkpoints), and keeping
    // the cache under its size (compaction, temp sweep, a listing of the store).
    await Promise.all([this.finishCheckpoint(interrupted ? "interrupted" : status), this.keeper?.evict(new Set())]);
    await this.remote?.close();
    for (const stop of this.detach) stop();
    this.releaseSignal();
    return result;
  }

  /**
   * Writes the final manifest; after a success, deletes the pipeline's old succeeded checkpoints (see
   * {@link pruneCheckpoints}), a failure to do so being a warning.
   */
  private async finishCheckpoint(status: Parameters<CheckpointWriter["finish"]>[0]): Promise<void> {
    const store = this.run.services.checkpoints;
    if (this.checkpoint === undefined || store === undefined) return;
    await this.checkpoint.finish(status);
    if (status !== "success") return;
    await pruneCheckpoints(store, this.run.options.name)
      .catch((error: unknown) => this.warn("checkpoint", `could not delete old checkpoints in ${store.location}: ${errorMessage(error)}`));
  }

  /** A node that ran: its result kept by the cache (on success), with what its key is made of. */
  private ran(index: number, spec: StepSpec, result: NodeResult): NodeResult {
    if (result.status === "success") this.keeper?.keep(spec, this.dataMap, result.columnLineage, result.durationMs);
    else this.keeper?.nodeEnded(spec);
    return this.withKeyParts(index, result);
  }

  /**
   * The node's result with what its cache key is made of (known once the cache has planned the run), added
   * to it: the result was just made for this node (by runNode or reuse) and nothing holds it yet, and a
   * spread copy of it showed in the profile of a many-step run.
   */
  private withKeyParts(index: number, result: NodeResult): NodeResult {
    const keyParts = this.keeper?.decision(index)?.keyParts;
    if (keyParts !== undefined) (result as { keyParts?: NodeResult["keyParts"] }).keyParts = keyParts;
    return result;
  }

  /** A reused node: its outputs registered as handles of stored data, and its node_cached event. */
  private reuse(spec: StepSpec, decision: NodeDecision): NodeResult {
    const t0 = performance.now();
    const rowCounts = (this.keeper as ResultKeeper).reuse(spec, decision, this.dataMap, this.runtime);
    const durationMs = performance.now() - t0;
    const reusedFrom = decision.reuse?.from ?? "cache";
    const columnLineage = decision.reuse?.result.columnLineage;
    // One time for the event and the result (a tracker that makes its records from results sees the same).
    const now = nowIso();
    this.events.emit("node_cached", {
      stepName: spec.name, layer: spec.layer, status: "cached", durationMs, cacheKey: decision.key, outputs: rowCounts,
      rowCount: totalRows(rowCounts), reusedFrom,
      ...(columnLineage ? { columnLineage } : {}),
    }, spec.index, now);
    return {
      status: "cached", attempts: 0, attemptLog: EMPTY_ARRAY, durationMs, startTime: now, endTime: now, rowCounts, reusedFrom,
      ...(decision.key ? { cacheKey: decision.key } : {}), ...(columnLineage ? { columnLineage } : {}),
    };
  }

  warn(source: string, message: string): void {
    this.warnings.push({ source, message });
    this.run.logger.warn(message);
  }

  pathField(): { pipelinePath?: string } {
    return this.pipelinePath ? { pipelinePath: this.pipelinePath } : {};
  }
}

/**
 * Runs a planned pipeline to its end. A failing step never makes it throw; a failing observer, cache
 * write, history write or checkpoint write is a warning.
 */
export async function runPipeline(run: PipelineRun): Promise<RunResult> {
  const session = await RunSession.open(run);
  return session.close(await session.runNodes());
}
