import type { AttemptRecord, NodeResult } from "../execute/node-result.js";
import type { RunResult } from "../execute/run-result.js";
import type { LazyLineageDocument } from "../track/build-lineage.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import { errorMessage } from "../util/error-message.js";
import { jsonSafePieces, jsonSafeStringify } from "./json-safe-stringify.js";
import { errorCode, finishedSummary } from "./run-record.js";
import { buildSnapshotWith, type RunFinishDetails } from "./run-snapshot.js";

/** A value as {@link jsonSafeStringify} writes it, strings and finite numbers without its walk. */
function json(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return JSON.stringify(value);
  if (value === undefined || value === null) return "null";
  return jsonSafeStringify(value);
}

/** A record keyed by data names (row counts, key inputs), as jsonSafeStringify writes it. */
function record(value: Readonly<Record<string, unknown>>): string {
  let text = "{";
  for (const key of Object.keys(value)) text += `${text.length > 1 ? "," : ""}${JSON.stringify(key)}:${json(value[key])}`;
  return `${text}}`;
}

/** A node's row (what run-record.ts's nodeRecord builds), as JSON; `head` is the run's `{"run_id":...,"attempt":...,`. */
function nodeJson(result: RunResult, head: string, step: string, position: number, node: NodeResult): string {
  const counts = node.rowCounts === undefined ? [] : Object.values(node.rowCounts);
  const rows = counts.length === 0 ? null : counts.reduce((a, b) => a + b, 0);
  return `${head}"step_name":${json(step)},"position":${position},` +
    `"layer":${json(result.plan.steps[position]?.layer)},"status":${json(node.status)},"kind":${json(node.kind)},` +
    `"blocked_by":${json(node.blockedBy)},"status_reason":${json(node.statusReason)},"attempts":${json(node.attempts)},` +
    `"duration_ms":${json(node.durationMs)},"start_time":${json(node.startTime)},"end_time":${json(node.endTime)},"row_count":${json(rows)},` +
    `"output_rows":${node.rowCounts === undefined ? "null" : record(node.rowCounts)},"cache_key":${json(node.cacheKey)},` +
    `"reused_from":${json(node.reusedFrom)},"error":${node.error === undefined ? "null" : json(errorMessage(node.error))},` +
    `"error_code":${json(errorCode(node.error))}}`;
}

/** An attempt's row (run-record.ts's attemptRecord), as JSON; `head` is the run's `{"run_id":...,"run_attempt":...,`. */
function attemptJson(head: string, step: string, attempt: AttemptRecord): string {
  return `${head}"step_name":${json(step)},"attempt":${json(attempt.attempt)},` +
    `"start_time":${json(attempt.startTime)},"duration_ms":${json(attempt.durationMs)},"outcome":${json(attempt.outcome)},` +
    `"error":${attempt.error === undefined ? "null" : json(errorMessage(attempt.error))},"error_code":${json(errorCode(attempt.error))},` +
    `"retry_delay_ms":${json(attempt.retryDelayMs)}}`;
}

/** A node's outcome in the snapshot (run-snapshot.ts's outcomeOf), as JSON: its fields when set, in that order. */
function outcomeJson(node: NodeResult): string {
  let text = `{"status":${json(node.status)}`;
  if (node.kind !== undefined) text += `,"kind":${json(node.kind)}`;
  if (node.blockedBy !== undefined) text += `,"blocked_by":${json(node.blockedBy)}`;
  if (node.statusReason !== undefined) text += `,"status_reason":${json(node.statusReason)}`;
  text += `,"attempts":${json(node.attempts)},"duration_ms":${json(node.durationMs)}`;
  if (node.rowCounts !== undefined) text += `,"rows":${record(node.rowCounts)}`;
  if (node.cacheKey !== undefined) text += `,"cache_key":${json(node.cacheKey)}`;
  if (node.keyParts !== undefined) {
    const { code, params, inputs, versions } = node.keyParts;
    text += `,"key_parts":{"code":${json(code)},"params":${json(params)},"inputs":${record(inputs)},"versions":${json(versions)}}`;
  }
  if (node.reusedFrom !== undefined) text += `,"reused_from":${json(node.reusedFrom)}`;
  if (node.error !== undefined) text += `,"error":${json(errorMessage(node.error))}`;
  return `${text}}`;
}

/**
 * The JSON of a finished run's record ({@link buildRunRecord}'s `{ summary, nodes, attempts, snapshot, lineage }`),
 * in pieces: each node row, attempt and outcome written straight from the run's result (no row objects, no walk
 * of them), the lineage step by step (made one at a time when given by {@link lazyLineage}). What it parses to is what `jsonSafeStringify(buildRunRecord(...))` parses to.
 */
export function* runRecordPieces(
  result: RunResult, details: RunFinishDetails, lineage: LineageDocument | LazyLineageDocument | null,
): Generator<string, void, undefined> {
  const order = result.plan.order;
  yield `{"summary":${jsonSafeStringify(finishedSummary(result, details))},"nodes":[`;
  const nodeHead = `{"run_id":${json(result.runId)},"attempt":${json(result.runAttempt)},`;
  let first = true;
  for (let position = 0; position < order.length; position++) {
    const step = order[position] as string;
    const node = result.nodes[step];
    if (node === undefined) continue;
    yield `${first ? "" : ","}${nodeJson(result, nodeHead, step, position, node)}`;
    first = false;
  }
  yield '],"attempts":[';
  const attemptHead = `{"run_id":${json(result.runId)},"run_attempt":${json(result.runAttempt)},`;
  first = true;
  for (const step of order) {
    for (const attempt of result.nodes[step]?.attemptLog ?? []) {
      yield `${first ? "" : ","}${attemptJson(attemptHead, step, attempt)}`;
      first = false;
    }
  }
  yield '],"snapshot":';
  const snapshot = buildSnapshotWith(result, details, false) as unknown as Record<string, unknown>;
  const keys = Object.keys(snapshot);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    yield `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`;
    if (key !== "outcomes") {
      yield* jsonSafePieces(snapshot[key], 1);
      continue;
    }
    let firstOutcome = true;
    for (const step of order) {
      const node = result.nodes[step];
      if (node === undefined) continue;
      yield `${firstOutcome ? "{" : ","}${JSON.stringify(step)}:${outcomeJson(node)}`;
      firstOutcome = false;
    }
    yield firstOutcome ? "{}" : "}";
  }
  yield '},"lineage":';
  yield* lineagePieces(lineage);
  yield "}";
}

/** A lineage document's JSON in pieces; its `steps`, when given as they are made ({@link lazyLineage}), record by record. */
function* lineagePieces(lineage: LineageDocument | LazyLineageDocument | null): Generator<string, void, undefined> {
  if (lineage === null) {
    yield "null";
    return;
  }
  const document = lineage as unknown as Record<string, unknown>;
  const keys = Object.keys(document);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = document[key];
    yield `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`;
    if (key !== "steps" || Array.isArray(value)) {
      yield* jsonSafePieces(value, 1);
      continue;
    }
    let first = true;
    for (const step of value as Iterable<unknown>) {
      yield `${first ? "[" : ","}${jsonSafeStringify(step)}`;
      first = false;
    }
    yield first ? "[]" : "]";
  }
  yield keys.length === 0 ? "{}" : "}";
}
