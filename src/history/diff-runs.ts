import type { NodeStatus } from "../execute/node-result.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import type { RunAttemptDetail, RunDetail } from "./history-rows.js";
import type { SnapshotOutcome } from "./run-snapshot.js";

/** What made a step's cache key change between two runs. */
export const KEY_CHANGE_CAUSES = ["code", "params", "inputs", "versions", "unknown"] as const;
export type KeyChangeCause = (typeof KEY_CHANGE_CAUSES)[number];

/** A column whose type changed. */
export interface ChangedColumn {
  readonly column: string;
  readonly from: string;
  readonly to: string;
}

/** The output schema of a step in the second run against the first's. */
export interface SchemaChange {
  readonly dataset: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedColumn[];
}

/** A data check whose outcome differs between the runs (or that exists in one only). */
export interface CheckChange {
  readonly name: string;
  readonly dataset: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** One step in two runs. `a`/`b` fields are undefined where the step is not in that run. */
export interface StepDiff {
  readonly step: string;
  /** `added`: only in run b; `removed`: only in run a; `changed` or `same` otherwise. */
  readonly presence: "both" | "added" | "removed";
  readonly status: { readonly a: NodeStatus | undefined; readonly b: NodeStatus | undefined };
  readonly rows: { readonly a: number | undefined; readonly b: number | undefined };
  readonly durationMs: { readonly a: number | undefined; readonly b: number | undefined };
  readonly schema: readonly SchemaChange[];
  readonly checks: readonly CheckChange[];
  /** Whether the cache key changed, and why (empty when it did not). */
  readonly key: { readonly changed: boolean; readonly causes: readonly KeyChangeCause[]; readonly changedInputs: readonly string[] };
  /** True when anything above differs (status, rows, schema, checks or key). */
  readonly differs: boolean;
}

/** Two runs compared step by step. */
export interface RunDiff {
  readonly a: { readonly runId: string; readonly attempt: number; readonly pipelineName: string; readonly status: string; readonly durationMs: number | undefined };
  readonly b: { readonly runId: string; readonly attempt: number; readonly pipelineName: string; readonly status: string; readonly durationMs: number | undefined };
  /** Every step of either run: run b's plan order, then steps only in run a. */
  readonly steps: readonly StepDiff[];
}

function latest(run: RunDetail | RunAttemptDetail): RunAttemptDetail {
  if ("summary" in run) return run;
  const last = run.attempts[run.attempts.length - 1];
  if (last === undefined) throw new Error(`run ${run.runId} has no attempts`);
  return last;
}

function columns(schema: readonly string[]): Map<string, string> {
  return new Map(schema.map((entry) => {
    const at = entry.indexOf(": ");
    return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 2)];
  }));
}

type LineageStep = LineageDocument["steps"][number];

function schemaChanges(a: LineageStep | undefined, b: LineageStep | undefined): SchemaChange[] {
  if (a === undefined || b === undefined) return [];
  const changes: SchemaChange[] = [];
  for (const [dataset, after] of Object.entries(b.after_snapshots ?? {})) {
    const before = a.after_snapshots?.[dataset];
    if (before === undefined || after === undefined) continue;
    const from = columns(before.schema);
    const to = columns(after.schema);
    const added = [...to.keys()].filter((c) => !from.has(c));
    const removed = [...from.keys()].filter((c) => !to.has(c));
    const changed = [...to].filter(([c, t]) => from.has(c) && from.get(c) !== t).map(([column, t]) => ({ column, from: from.get(column) as string, to: t }));
    if (added.length + removed.length + changed.length > 0) changes.push({ dataset, added, removed, changed });
  }
  return changes;
}

function checkChanges(a: LineageStep | undefined, b: LineageStep | undefined): CheckChange[] {
  const id = (c: { name: string; dataset: string }): string => `${c.dataset}\u0000${c.name}`;
  const before = new Map((a?.checks ?? []).map((c) => [id(c), c]));
  const after = new Map((b?.checks ?? []).map((c) => [id(c), c]));
  const changes: CheckChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key);
    const y = after.get(key);
    if (x?.status === y?.status) continue;
    const any = (y ?? x) as { name: string; dataset: string };
    changes.push({ name: any.name, dataset: any.dataset, from: x?.status, to: y?.status });
  }
  return changes;
}

function keyChange(a: SnapshotOutcome | undefined, b: SnapshotOutcome | undefined): StepDiff["key"] {
  if (a?.cache_key === undefined || b?.cache_key === undefined || a.cache_key === b.cache_key) return { changed: false, causes: [], changedInputs: [] };
  const pa = a.key_parts;
  const pb = b.key_parts;
  if (pa === undefined || pb === undefined) return { changed: true, causes: ["unknown"], changedInputs: [] };
  const changedInputs = [...new Set([...Object.keys(pa.inputs), ...Object.keys(pb.inputs)])].filter((k) => pa.inputs[k] !== pb.inputs[k]).sort();
  const causes: KeyChangeCause[] = [];
  if (pa.code !== pb.code) causes.push("code");
  if (pa.params !== pb.params) causes.push("params");
  if (changedInputs.length > 0) causes.push("inputs");
  if (pa.versions !== pb.versions) causes.push("versions");
  return { changed: true, causes: causes.length > 0 ? causes : ["unknown"], changedInputs };
}

/**
 * Compares two runs (their latest attempts) step by step: status, rows, duration, output schema changes
 * (added, removed and retyped columns), data checks whose outcome changed, and whether the cache key
 * changed and why (code, params, inputs, engine versions). Reads only what the history keeps.
 *
 * @example
 * ```ts
 * const history = new RunHistory(".linea/history.duckdb");
 * const diff = diffRuns((await history.run(a))!, (await history.run(b))!);
 * diff.steps.filter((s) => s.key.changed).map((s) => [s.step, s.key.causes]);
 * ```
 */
export function diffRuns(runA: RunDetail | RunAttemptDetail, runB: RunDetail | RunAttemptDetail): RunDiff {
  const a = latest(runA);
  const b = latest(runB);
  const nodesA = new Map(a.nodes.map((n) => [n.stepName, n]));
  const nodesB = new Map(b.nodes.map((n) => [n.stepName, n]));
  const lineageA = new Map((a.lineage?.steps ?? []).map((s) => [s.step_name, s]));
  const lineageB = new Map((b.lineage?.steps ?? []).map((s) => [s.step_name, s]));
  const names = [...b.nodes.map((n) => n.stepName), ...a.nodes.map((n) => n.stepName).filter((n) => !nodesB.has(n))];
  const steps = names.map((step): StepDiff => {
    const x = nodesA.get(step);
    const y = nodesB.get(step);
    const schema = schemaChanges(lineageA.get(step), lineageB.get(step));
    const checks = x && y ? checkChanges(lineageA.get(step), lineageB.get(step)) : [];
    const key = keyChange(a.snapshot?.outcomes[step], b.snapshot?.outcomes[step]);
    const presence = x && y ? "both" : y ? "added" : "removed";
    const differs = presence !== "both" || x?.status !== y?.status || x?.rowCount !== y?.rowCount || schema.length > 0 || checks.length > 0 || key.changed;
    return {
      step, presence, status: { a: x?.status, b: y?.status }, rows: { a: x?.rowCount, b: y?.rowCount },
      durationMs: { a: x?.durationMs, b: y?.durationMs }, schema, checks, key, differs,
    };
  });
  const side = (r: RunAttemptDetail): RunDiff["a"] => ({
    runId: r.summary.runId, attempt: r.summary.attempt, pipelineName: r.summary.pipelineName, status: r.summary.status, durationMs: r.summary.durationMs,
  });
  return { a: side(a), b: side(b), steps };
}
