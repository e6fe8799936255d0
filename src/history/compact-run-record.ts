import type { AttemptRecord, NodeResult } from "../execute/node-result.js";
import { namedList, type NamedList } from "../util/named-list.js";
import type { RunResult } from "../execute/run-result.js";
import {
  addOptionalStepFields, attemptLogRecords, bodyRecord, checkRecords, columnLineageRecord, schemaDiffRecord, withSnapshotRecords,
  type LineageWithSnapshotRefs, type OptionalStepFields, type StepRecordWithRefs,
} from "../track/build-lineage.js";
import type { LineageDocument, SnapshotRecord, StepRecord } from "../track/lineage.generated.js";
import type { StepExecution } from "../track/step-execution.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { errorMessage } from "../util/error-message.js";
import { keyedRecord } from "../util/keyed-record.js";
import type { AttemptHistoryRecord, NodeHistoryRecord, RunSummaryRecord } from "./history-tables.js";
import { jsonSafePieces, jsonSafeStringify } from "./json-safe-stringify.js";
import { errorCode, finishedSummary, type RunRecord } from "./run-record.js";
import { buildSnapshotWith, type RunFinishDetails, type RunSnapshotDocument, type SnapshotOutcome } from "./run-snapshot.js";

/**
 * One node of a run in a compact record: what its node row, its attempt rows and its snapshot outcome are
 * made of, each said once (the three repeat most of it), as an array of plain values: records keyed by data
 * names as lists of names and values, numbers that JSON cannot hold as jsonSafeStringify writes them. So
 * plain `JSON.stringify` writes it, on its fastest path.
 */
type CompactNode = [
  step: string, position: number, layer: string | null, status: string, kind: string | null, blockedBy: string | null,
  statusReason: string | null, attempts: JsonNumber, durationMs: JsonNumber, startTime: string | null, endTime: string | null,
  rowCount: JsonNumber | null, rowCounts: NamedList<JsonNumber> | null, cacheKey: string | null,
  keyParts: [code: string, params: string, inputs: NamedList<string>, versions: string] | null,
  reusedFrom: string | null, error: string | null, errorCode: string | null,
  /** Its attempts; for the usual one attempt that succeeded, started with the node, no more than its duration. */
  attemptLog: CompactAttempt[] | JsonNumber,
];

/** One attempt of a node in a compact record. */
type CompactAttempt = [
  attempt: JsonNumber, startTime: string, durationMs: JsonNumber, outcome: string, error: string | null, errorCode: string | null, retryDelayMs: JsonNumber | null,
];

/**
 * One lineage step record in a compact record (format 3): its fields in their order, as a list, each snapshot
 * given as its number in `snapshots`, and what would repeat its node said in a word: `0` for a start time,
 * end time or cache key that is the node's, `true` for the node's duration, `0` for an empty schema diff, the
 * outcome alone for a log of one plain first attempt, and `0` for a column-lineage note that is the previous
 * step's. The optional fields (kind, error, cache key, column lineage...) are an object, or `0` for none.
 * A 10,000-step run's step records, a third of its compact record as objects, are then a third as long.
 */
type CompactStep = [
  step: string, layer: string | null, status: StepRecord["status"], startTime: string | null | 0, endTime: string | null | 0,
  durationMs: JsonNumber | true, attempts: JsonNumber, cached: boolean, inputs: string[], outputs: string[], body: StepRecord["body"],
  beforeSnapshot: number | null, beforeSnapshots: NamedList<number>, afterSnapshot: number | null, afterSnapshots: NamedList<number>,
  schemaDiff: StepRecord["schema_diff"] | 0, rowDelta: JsonNumber | null, checks: StepRecord["checks"],
  attemptLog: StepRecord["attempt_log"] | string, optional: CompactOptionalFields | 0,
];

/** A compact step's optional fields: a step record's, but a cache key or note said as `0` (see {@link CompactStep}). */
type CompactOptionalFields = Omit<OptionalStepFields, "cache_key" | "column_lineage_note"> & { cache_key?: string | 0; column_lineage_note?: string | 0 };

/** A number as jsonSafeStringify writes it: a finite one as it is, another (NaN, Infinity) as its text. */
type JsonNumber = number | string;

function jsonNumber(value: number): JsonNumber {
  return Number.isFinite(value) ? value : String(value);
}

/** A string, else (what the types rule out, written as jsonSafeStringify would) its JSON-safe form. */
function text(value: string): string {
  return typeof value === "string" ? value : (JSON.parse(jsonSafeStringify(value)) as string);
}

function recordOf<T>(list: ReadonlyArray<string | T>): Record<string, T> {
  const record = keyedRecord<T>();
  for (let i = 0; i + 1 < list.length; i += 2) record[list[i] as string] = list[i + 1] as T;
  return record;
}

/**
 * A finished run's record as its spool keeps it: {@link RunRecord} said once. The rows and documents repeat
 * the same facts (a node's status, times and key are in its node row, its attempt rows, its snapshot outcome
 * and its lineage step; a dataset's snapshot is in its producer's lineage step and again in each consumer's),
 * which made a 10,000-step run's record 25 MB, most of its end's time. {@link expandRunRecord} gives back the
 * record: the same rows and documents, the same keys in the same order.
 */
export interface CompactRunRecord {
  /**
   * 3: `steps` are {@link CompactStep} lists; 2: step records, `nodes`, `steps` and `snapshots` in batches
   * (lists of lists); 1 (a linea of a few hours): flat lists.
   */
  readonly format: 1 | 2 | 3;
  readonly summary: RunSummaryRecord;
  readonly nodes: Batched<CompactNode>;
  /** The snapshot document, its `outcomes` empty (they are made from `nodes`). */
  readonly snapshot: RunSnapshotDocument;
  /** The lineage document, its `steps` empty (they are `steps`), or null when the tracker could not make it. */
  readonly lineage: LineageDocument | null;
  /** The lineage's step records, each snapshot given as its number in `snapshots` ({@link CompactStep}s in format 3). */
  readonly steps: Batched<StepRecordWithRefs> | ReadonlyArray<readonly CompactStep[]>;
  readonly snapshots: Batched<SnapshotRecord>;
}

/**
 * A list as a compact record holds it: in batches, each written by one JSON.stringify call, as it made it (no
 * copy of its text without its brackets); flat in format 1.
 */
type Batched<T> = ReadonlyArray<readonly T[]> | readonly T[];

function flat<T>(list: Batched<T>, format: 1 | 2 | 3): readonly T[] {
  return format !== 1 ? (list as ReadonlyArray<readonly T[]>).flat() as T[] : (list as readonly T[]);
}

/** Entries written by one `jsonSafeStringify` call: one call per entry cost more than the JSON it made. */
const BATCH = 256;

function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

function compactNode(result: RunResult, step: string, position: number, node: NodeResult): CompactNode {
  // A step without outputs (a write) has no row count, not zero rows.
  let rows: number | null = null;
  const counts = node.rowCounts;
  if (counts !== undefined) {
    const names = Object.keys(counts);
    for (let i = 0; i < names.length; i++) rows = (rows ?? 0) + (counts[names[i] as string] as number);
  }
  const parts = node.keyParts;
  const log = node.attemptLog;
  const only = log.length === 1 ? (log[0] as AttemptRecord) : undefined;
  let attempts: CompactAttempt[] | JsonNumber;
  if (only !== undefined && only.attempt === 1 && only.outcome === "success" && only.startTime === node.startTime && only.error === undefined && only.retryDelayMs === undefined) {
    attempts = jsonNumber(only.durationMs);
  } else {
    attempts = new Array<CompactAttempt>(log.length);
    for (let i = 0; i < log.length; i++) attempts[i] = compactAttempt(log[i] as AttemptRecord);
  }
  const layer = result.plan.steps[position]?.layer;
  return [
    step, position, layer === undefined ? null : text(layer), node.status, orNull(node.kind), orNull(node.blockedBy),
    orNull(node.statusReason), jsonNumber(node.attempts), jsonNumber(node.durationMs), orNull(node.startTime), orNull(node.endTime),
    rows === null ? null : jsonNumber(rows), counts === undefined ? null : namedList(counts, jsonNumber), orNull(node.cacheKey),
    parts === undefined ? null : [parts.code, parts.params, namedList(parts.inputs, text), parts.versions],
    orNull(node.reusedFrom), node.error === undefined ? null : errorMessage(node.error), errorCode(node.error), attempts,
  ];
}

function compactAttempt(attempt: AttemptRecord): CompactAttempt {
  return [
    jsonNumber(attempt.attempt), attempt.startTime, jsonNumber(attempt.durationMs), attempt.outcome,
    attempt.error === undefined ? null : errorMessage(attempt.error), errorCode(attempt.error),
    attempt.retryDelayMs === undefined ? null : jsonNumber(attempt.retryDelayMs),
  ];
}

/**
 * What the writer of compact steps carries from one step to the next: the last column-lineage note written,
 * and the last column lineage with its record (run steps without a declared lineage share one).
 */
interface CompactStepState {
  note: string | undefined;
  /** A column lineage's record: the last one's again for the same lineage (made once per writer, not per step). */
  readonly lineageRecord: typeof columnLineageRecord;
  /**
   * Whether every step made since the last batch was written is JSON-safe by construction (no checks, a plain
   * first attempt, no column lineage by output: nearly every step), so plain `JSON.stringify` writes the batch
   * as `jsonSafeStringify` would, without its walk.
   */
  plain: boolean;
}

/** A `run` body's record by engine (most steps'): made once, written many times. */
const runBodies = new Map<string, StepRecord["body"]>();

function compactBody(body: StepExecution["body"]): StepRecord["body"] {
  if (body.kind !== "run" || body.engine === undefined || body.sql !== undefined || body.path !== undefined || body.format !== undefined) return bodyRecord(body);
  let record = runBodies.get(body.engine);
  if (record === undefined) {
    record = bodyRecord(body);
    runBodies.set(body.engine, record);
  }
  return record;
}

/**
 * A step's lineage record as a {@link CompactStep}: what repeats its node (`node`, if it has one) is said in a
 * word. Made to be serialized at once: records that do not change are shared between steps.
 */
function compactStep(r: StepExecution, node: NodeResult | undefined, refs: LineageWithSnapshotRefs["refs"], state: CompactStepState): CompactStep {
  const start = r.startTime ?? null;
  const end = r.endTime ?? null;
  const d = r.schemaDiff;
  const emptyDiff = d !== undefined && d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
  const log = r.attemptLog;
  const first = log[0];
  const plainLog = log.length === 1 && first !== undefined && first.attempt === 1 && first.errorMessage === undefined && first.retryDelayMs === undefined;
  const inputs: string[] = new Array<string>(r.inputs.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = (r.inputs[i] as StepExecution["inputs"][number]).dataset;
  const optional = {} as OptionalStepFields;
  addOptionalStepFields(optional, r, state.lineageRecord);
  const compact = optional as CompactOptionalFields;
  if (!plainLog || r.checks.length > 0 || (optional.column_lineage !== undefined && Object.keys(optional.column_lineage).length > 0)) state.plain = false;
  if (compact.cache_key !== undefined && node !== undefined && compact.cache_key === node.cacheKey) compact.cache_key = 0;
  const text = optional.column_lineage_note;
  if (text !== undefined) {
    if (text === state.note) compact.column_lineage_note = 0;
    state.note = text;
  }
  return [
    r.stepName, r.layer ?? null, r.status,
    node !== undefined && start === orNull(node.startTime) ? 0 : start,
    node !== undefined && end === orNull(node.endTime) ? 0 : end,
    node !== undefined && r.durationMs === node.durationMs ? true : jsonNumber(r.durationMs),
    jsonNumber(r.attempts), r.cached, inputs, r.outputs as string[], compactBody(r.body),
    r.beforeSnapshot ? refs.one(r.beforeSnapshot) : null, refs.byName(r.beforeSnapshots),
    r.afterSnapshot ? refs.one(r.afterSnapshot) : null, refs.byName(r.afterSnapshots),
    emptyDiff ? 0 : schemaDiffRecord(r), r.rowDelta === undefined ? null : jsonNumber(r.rowDelta), r.checks.length === 0 ? NO_CHECKS : checkRecords(r),
    plainLog ? first.outcome : attemptLogRecords(r),
    Object.keys(optional).length === 0 ? 0 : compact,
  ];
}

/** The checks of a step that has none (most): one frozen list, written many times. */
const NO_CHECKS = EMPTY_ARRAY as unknown as StepRecord["checks"];

/**
 * The step record a {@link CompactStep} says (the same keys in the same order as build-lineage's), with its
 * node's compact form (`node`) for what it repeats. `note` carries the last column-lineage note read.
 */
function expandStep(c: CompactStep, node: CompactNode | undefined, note: { last: string | undefined }): StepRecordWithRefs {
  const [step, layer, status, start, end, duration, attempts, cached, inputs, outputs, body, before, befores, after, afters, diff, rowDelta, checks, log, optional] = c;
  const fromNode = <T>(value: T | 0 | true, index: 8 | 9 | 10 | 13): T => {
    if (value !== 0 && value !== true) return value;
    if (node === undefined) throw new Error(`the compact lineage record of step ${JSON.stringify(step)} refers to its node, which the record does not hold`);
    return node[index] as T;
  };
  // Numbers JSON cannot hold are their text here, as in the record of format 2 once read (jsonSafeStringify's way).
  const record: StepRecordWithRefs = {
    step_name: step, layer, status, start_time: fromNode(start, 9), end_time: fromNode(end, 10), duration_ms: fromNode(duration, 8) as number,
    attempts: attempts as number, cached, inputs, outputs, body, before_snapshot: before, before_snapshots: befores, after_snapshot: after, after_snapshots: afters,
    schema_diff: diff === 0 ? { added: [], removed: [], changed: [] } : diff, row_delta: rowDelta as number | null, checks,
    attempt_log: typeof log === "string" ? [{ attempt: 1, outcome: log as StepRecord["attempt_log"][number]["outcome"] }] : log,
  };
  if (optional === 0) return record;
  const fields = record as unknown as Record<string, unknown>;
  const given = optional as Record<string, unknown>;
  const names = Object.keys(given);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    let value = given[name];
    if (name === "cache_key" && value === 0) value = fromNode(0, 13);
    else if (name === "column_lineage_note") {
      if (value === 0) value = note.last;
      note.last = value as string;
    }
    fields[name] = value;
  }
  return record;
}

/**
 * The entries of `items` as a JSON list of batches of {@link BATCH} entries, each batch written by one call of
 * `stringify` (jsonSafeStringify unless the entries are JSON-safe by construction).
 */
function* batchPieces<T, U>(
  items: Iterable<T>, make: (item: T) => U | undefined, stringify: (batch: U[]) => string = jsonSafeStringify,
): Generator<string, void, undefined> {
  let batch: U[] = [];
  let first = true;
  yield "[";
  for (const item of items) {
    const made = make(item);
    if (made === undefined) continue;
    batch.push(made);
    if (batch.length < BATCH) continue;
    if (!first) yield ",";
    yield stringify(batch);
    first = false;
    batch = [];
  }
  if (batch.length > 0) {
    if (!first) yield ",";
    yield stringify(batch);
  }
  yield "]";
}

/** A document's JSON in pieces, but for `key`, written empty (`empty`). */
function* documentWithout(document: object, key: string, empty: string): Generator<string, void, undefined> {
  const fields = document as Record<string, unknown>;
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i] as string;
    yield `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`;
    if (name === key) yield empty;
    else yield* jsonSafePieces(fields[name], 1);
  }
  yield keys.length === 0 ? "{}" : "}";
}

/**
 * The JSON of a finished run's {@link CompactRunRecord}, in pieces (never one string: a 10,000-step run's is
 * megabytes). `lineage` is the run's lineage document (its step records made as they are written), or null.
 */
export function* compactRunRecordPieces(
  result: RunResult, details: RunFinishDetails, lineage: LineageWithSnapshotRefs | null,
): Generator<string, void, undefined> {
  const order = result.plan.order;
  yield `{"format":3,"summary":${jsonSafeStringify(finishedSummary(result, details))},"nodes":`;
  const positions = (function* () {
    for (let position = 0; position < order.length; position++) yield position;
  })();
  yield* batchPieces(positions, (position) => {
    const step = order[position] as string;
    const node = result.nodes[step];
    return node === undefined ? undefined : compactNode(result, step, position, node);
  }, (batch) => JSON.stringify(batch));
  yield ',"snapshot":';
  yield* documentWithout(buildSnapshotWith(result, details, false), "outcomes", "{}");
  if (lineage === null) {
    yield ',"lineage":null,"steps":[],"snapshots":[]}';
    return;
  }
  const { document, snapshots } = lineage;
  yield ',"lineage":';
  yield* documentWithout(document, "steps", "[]");
  yield ',"steps":';
  let lastLineage: StepExecution["columnLineage"];
  let lastRecord: ReturnType<typeof columnLineageRecord> | undefined;
  const lineageRecord = (of: NonNullable<StepExecution["columnLineage"]>): ReturnType<typeof columnLineageRecord> => {
    if (of !== lastLineage || lastRecord === undefined) {
      lastLineage = of;
      lastRecord = columnLineageRecord(of);
    }
    return lastRecord;
  };
  const state: CompactStepState = { note: undefined, lineageRecord, plain: true };
  yield* batchPieces(lineage.executions, (step) => compactStep(step, result.nodes[step.stepName], lineage.refs, state), (batch) => {
    const text = state.plain ? JSON.stringify(batch) : jsonSafeStringify(batch);
    state.plain = true;
    return text;
  });
  // Complete now that every step record is made.
  yield ',"snapshots":';
  yield* batchPieces(snapshots, (snapshot) => snapshot);
  yield "}";
}

/** A compact node's outcome in the snapshot (as run-snapshot.ts's outcomeOf makes it): its fields when set, in that order. */
function outcomeOf(node: CompactNode): SnapshotOutcome {
  const [, , , status, kind, blockedBy, statusReason, attempts, durationMs, , , , rowCounts, cacheKey, keyParts, reusedFrom, error] = node;
  const outcome: Record<string, unknown> = { status };
  if (kind !== null) outcome.kind = kind;
  if (blockedBy !== null) outcome.blocked_by = blockedBy;
  if (statusReason !== null) outcome.status_reason = statusReason;
  outcome.attempts = attempts;
  outcome.duration_ms = durationMs;
  if (rowCounts !== null) outcome.rows = recordOf(rowCounts);
  if (cacheKey !== null) outcome.cache_key = cacheKey;
  if (keyParts !== null) outcome.key_parts = { code: keyParts[0], params: keyParts[1], inputs: recordOf(keyParts[2]), versions: keyParts[3] };
  if (reusedFrom !== null) outcome.reused_from = reusedFrom;
  if (error !== null) outcome.error = error;
  return outcome as unknown as SnapshotOutcome;
}

/** A compact node's row (as run-record.ts's nodeRecord makes it). */
function nodeRow(summary: RunSummaryRecord, node: CompactNode): NodeHistoryRecord {
  const [step, position, layer, status, kind, blockedBy, statusReason, attempts, durationMs, startTime, endTime, rowCount, rowCounts, cacheKey, , reusedFrom, error, code] = node;
  return {
    run_id: summary.run_id, attempt: summary.attempt, step_name: step, position, layer, status, kind, blocked_by: blockedBy,
    status_reason: statusReason, attempts, duration_ms: durationMs, start_time: startTime, end_time: endTime, row_count: rowCount,
    output_rows: rowCounts === null ? null : recordOf(rowCounts), cache_key: cacheKey, reused_from: reusedFrom, error, error_code: code,
  } as NodeHistoryRecord;
}

/** A compact attempt's row (as run-record.ts's attemptRecord makes it). */
function attemptRow(summary: RunSummaryRecord, step: string, attempt: CompactAttempt): AttemptHistoryRecord {
  const [number, startTime, durationMs, outcome, error, code, retryDelayMs] = attempt;
  return {
    run_id: summary.run_id, run_attempt: summary.attempt, step_name: step, attempt: number, start_time: startTime, duration_ms: durationMs,
    outcome, error, error_code: code, retry_delay_ms: retryDelayMs,
  } as AttemptHistoryRecord;
}

/**
 * The {@link RunRecord} a {@link CompactRunRecord} says: the rows and documents `buildRunRecord` made of the
 * run, the same keys in the same order (its JSON is the same text).
 */
export function expandRunRecord(compact: CompactRunRecord): RunRecord {
  const { summary, format } = compact;
  const nodes: NodeHistoryRecord[] = [];
  const attempts: AttemptHistoryRecord[] = [];
  const outcomes = keyedRecord<SnapshotOutcome>();
  const compactNodes = flat(compact.nodes, format);
  for (let i = 0; i < compactNodes.length; i++) {
    const node = compactNodes[i] as CompactNode;
    nodes.push(nodeRow(summary, node));
    const given = node[18];
    const log: CompactAttempt[] = Array.isArray(given) ? given : [[1, node[9] as string, given, "success", null, null, null]];
    for (let a = 0; a < log.length; a++) attempts.push(attemptRow(summary, node[0], log[a] as CompactAttempt));
    outcomes[node[0]] = outcomeOf(node);
  }
  const snapshot = { ...compact.snapshot, outcomes } as RunSnapshotDocument;
  let lineage: LineageDocument | null = null;
  if (compact.lineage !== null) {
    const snapshots = flat(compact.snapshots, format);
    let records: readonly StepRecordWithRefs[];
    if (format === 3) {
      const byName = new Map<string, CompactNode>();
      for (let i = 0; i < compactNodes.length; i++) byName.set((compactNodes[i] as CompactNode)[0], compactNodes[i] as CompactNode);
      const note = { last: undefined as string | undefined };
      records = flat(compact.steps as Batched<CompactStep>, format).map((step) => expandStep(step, byName.get(step[0]), note));
    } else {
      records = flat(compact.steps as Batched<StepRecordWithRefs>, format);
    }
    const steps = records.map((step) => withSnapshotRecords(step, snapshots));
    lineage = { ...compact.lineage, steps };
  }
  return { summary, nodes, attempts, snapshot, lineage };
}
