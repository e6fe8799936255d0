import { LineaError } from "../errors/linea-error.js";
import { closestNames } from "../util/closest-names.js";
import { q } from "../util/quote.js";

/** A transformation as the lineage JSON records it (`type` DIRECT or INDIRECT, and a subtype). */
export interface TransformationRecord {
  readonly type: string;
  readonly subtype: string;
}

/** The per-step column lineage a trace reads: the lineage JSON's steps (also a past run's, from history). */
export interface ColumnLineageStep {
  readonly step_name: string;
  readonly column_lineage?: Readonly<Record<string, {
    readonly fields: Readonly<Record<string, { readonly inputFields: readonly { dataset: string; field: string; transformations: readonly TransformationRecord[] }[] }>>;
    readonly unresolved?: Readonly<Record<string, string>>;
  }>>;
  readonly column_lineage_source?: string;
  readonly column_lineage_note?: string;
  /** Output schemas (`"name: type"`), naming the columns of an opaque step's outputs. */
  readonly after_snapshots?: Readonly<Record<string, { readonly schema: readonly string[] }>>;
}

/**
 * One column in a lineage tree. The root is the column asked about; every other node is one hop away
 * from its parent through `step` with `transformations` (upstream: how this column reaches the parent;
 * downstream: how the parent reaches this column). `stop` says why a branch ends early: a step without
 * lineage (opaque `run` step, unresolved column), or a column met again on the way (a repeated subtree).
 */
export interface ColumnTreeNode {
  readonly dataset: string;
  readonly column: string;
  readonly step?: string;
  readonly transformations?: readonly TransformationRecord[];
  readonly children: readonly ColumnTreeNode[];
  readonly stop?: string;
}

/** A dataset or column a lineage trace was asked about is not in the run. */
export class UnknownColumnError extends LineaError {
  constructor(readonly dataset: string, readonly column: string, known: readonly string[]) {
    const [near] = closestNames(`${dataset}.${column}`, known);
    super("INVALID_OPTIONS", `Unknown column ${q(`${dataset}.${column}`)}: no step of the run produces or reads it.${near ? ` Did you mean ${q(near)}?` : " Name it as <dataset>.<column>."}`);
  }
}

interface Hop {
  readonly step: string;
  readonly dataset: string;
  readonly column: string;
  readonly transformations: readonly TransformationRecord[];
}

/** The run's column graph: per (dataset, column), its hops upstream and downstream. */
class ColumnGraph {
  readonly up = new Map<string, Hop[]>();
  readonly down = new Map<string, Hop[]>();
  /** Why a produced column has no upstream hops (opaque step, unresolved), by column key. */
  readonly stops = new Map<string, string>();
  readonly known = new Set<string>();

  constructor(steps: readonly ColumnLineageStep[]) {
    for (const step of steps) {
      for (const [output, lineage] of Object.entries(step.column_lineage ?? {})) {
        for (const [column, field] of Object.entries(lineage.fields)) {
          const key = keyOf(output, column);
          this.known.add(key);
          for (const input of field.inputFields) {
            const from = keyOf(input.dataset, input.field);
            this.known.add(from);
            push(this.up, key, { step: step.step_name, dataset: input.dataset, column: input.field, transformations: input.transformations });
            push(this.down, from, { step: step.step_name, dataset: output, column, transformations: input.transformations });
          }
        }
        for (const [column, reason] of Object.entries(lineage.unresolved ?? {})) {
          this.known.add(keyOf(output, column));
          this.stops.set(keyOf(output, column), `step ${q(step.step_name)} has no lineage for it: ${reason}`);
        }
      }
      if (step.column_lineage_source === "opaque") {
        for (const [output, snapshot] of Object.entries(step.after_snapshots ?? {})) {
          for (const entry of snapshot.schema) {
            const key = keyOf(output, entry.slice(0, Math.max(0, entry.lastIndexOf(": "))));
            this.known.add(key);
            this.stops.set(key, `step ${q(step.step_name)} is opaque: ${step.column_lineage_note ?? "a run step without a columnLineage declaration"}`);
          }
        }
      }
    }
  }
}

const keyOf = (dataset: string, column: string): string => `${dataset}.${column}`;

function push(map: Map<string, Hop[]>, key: string, hop: Hop): void {
  const list = map.get(key);
  if (list) list.push(hop);
  else map.set(key, [hop]);
}

function tree(graph: ColumnGraph, dataset: string, column: string, direction: "up" | "down"): ColumnTreeNode {
  const key = keyOf(dataset, column);
  if (!graph.known.has(key)) throw new UnknownColumnError(dataset, column, [...graph.known]);
  const edges = direction === "up" ? graph.up : graph.down;
  const walk = (ds: string, col: string, hop: Hop | undefined, path: ReadonlySet<string>): ColumnTreeNode => {
    const k = keyOf(ds, col);
    const base = { dataset: ds, column: col, ...(hop ? { step: hop.step, transformations: hop.transformations } : {}) };
    if (path.has(k)) return { ...base, children: [], stop: "met again on this path" };
    const next = new Set(path).add(k);
    const hops = edges.get(k) ?? [];
    const stop = direction === "up" ? graph.stops.get(k) : undefined;
    return { ...base, children: hops.map((h) => walk(h.dataset, h.column, h, next)), ...(stop ? { stop } : {}) };
  };
  return walk(dataset, column, undefined, new Set());
}

/** The upstream tree of a column: where its values come from, hop by hop, down to source files' columns. */
export function columnLineageTree(steps: readonly ColumnLineageStep[], dataset: string, column: string): ColumnTreeNode {
  return tree(new ColumnGraph(steps), dataset, column, "up");
}

/**
 * The upstream trees of many columns of one run: the column graph is built once (per column, `columnLineageTree`
 * would build it again).
 */
export function columnLineageTrees(steps: readonly ColumnLineageStep[]): (dataset: string, column: string) => ColumnTreeNode {
  const graph = new ColumnGraph(steps);
  return (dataset, column) => tree(graph, dataset, column, "up");
}

/** The downstream tree of a column: every column that depends on it, hop by hop. */
export function columnImpactTree(steps: readonly ColumnLineageStep[], dataset: string, column: string): ColumnTreeNode {
  return tree(new ColumnGraph(steps), dataset, column, "down");
}
