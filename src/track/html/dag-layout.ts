import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ELK, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { sha256Hex } from "../../util/sha256.js";
import { LINEA_VERSION } from "../../util/version.js";
import type { GraphLayout, PlacedBox, PlacedEdge } from "./graph-layout.js";
import { wrapLayout } from "./wrap-layout.js";

/** Options of {@link layoutGraph}. */
export interface LayoutOptions {
  /**
   * A folder where layouts are kept by a hash of the graph (boxes, sizes, labels, ELK's options): a graph
   * laid out before is read back instead of loading ELK again (a cached run redraws the same graph).
   * Without it every layout runs ELK. A folder that cannot be read or written only costs the reuse.
   */
  readonly cacheDir?: string;
}

/** A box to place: a key of the caller's (never drawn) and the width its text needs. */
export interface LayoutBox {
  readonly key: string;
  readonly width: number;
}

/** An arrow to route from one box to another, with a label of the given size (or none). */
export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: { readonly width: number; readonly height: number };
}

export type { GraphLayout, PlacedBox, PlacedEdge, Point } from "./graph-layout.js";

/**
 * The drawing's fixed measures, in pixels. `pageWidth`: a drawing wider than this is laid out again in
 * rows (the report's page is about this wide; what is still wider is scaled down to fit).
 */
export const LAYOUT = { margin: 16, nodeHeight: 44, minNodeWidth: 120, pageWidth: 1200 } as const;

/**
 * How ELK lays the graph out: layered (Sugiyama), left to right, in declaration order where it can,
 * orthogonal edges that go around boxes, and edge labels placed as obstacles of their own (so they never
 * overlap each other or a box).
 */
const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.padding": `[top=${LAYOUT.margin},left=${LAYOUT.margin},bottom=${LAYOUT.margin},right=${LAYOUT.margin}]`,
  "elk.spacing.nodeNode": "20",
  "elk.spacing.edgeNode": "14",
  "elk.spacing.edgeEdge": "10",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.labelLabel": "6",
  "elk.layered.spacing.nodeNodeBetweenLayers": "36",
  "elk.layered.spacing.edgeNodeBetweenLayers": "14",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "10",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
};

let elk: Promise<ELK> | undefined;

/** ELK, loaded on first use only: its bundle is large, and only writing a report needs it. */
function loadElk(): Promise<ELK> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((module) => {
    const Elk = (module as unknown as { default: new () => ELK }).default;
    return new Elk();
  });
  return elk;
}

const LABEL_PREFIX = "label:";

/** A kept layout, or undefined for a file that is not one (left torn, or edited): the graph is laid out again. */
function parseLayout(text: string): ElkNode | undefined {
  try {
    const node = JSON.parse(text) as ElkNode | null;
    return node !== null && typeof node === "object" && Array.isArray(node.children) ? node : undefined;
  } catch {
    return undefined;
  }
}

/** ELK's answer for `graph`, from `cacheDir` when the same graph was laid out before. */
async function laidOut(graph: ElkNode, cacheDir: string | undefined): Promise<ElkNode> {
  if (cacheDir === undefined) return (await loadElk()).layout(graph);
  const file = join(cacheDir, `${sha256Hex(JSON.stringify([LINEA_VERSION, graph])).slice(0, 32)}.json`);
  const kept = await readFile(file, "utf8").then(parseLayout, () => undefined);
  if (kept !== undefined) return kept;
  const laid = await (await loadElk()).layout(graph);
  await writeFileAtomic(file, JSON.stringify(laid)).catch(() => undefined);
  return laid;
}

/**
 * Lays a graph out with ELK's layered algorithm. Boxes keep their widths (at least
 * {@link LAYOUT.minNodeWidth}) and all have {@link LAYOUT.nodeHeight}; every arrow is an orthogonal
 * polyline that goes around boxes, and every label has a place of its own. A graph wider than
 * {@link LAYOUT.pageWidth} is then cut into bands stacked one under another ({@link wrapLayout}).
 */
export async function layoutGraph(boxes: readonly LayoutBox[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): Promise<GraphLayout> {
  if (boxes.length === 0) return { boxes: new Map(), edges: [], width: 2 * LAYOUT.margin, height: 2 * LAYOUT.margin };
  const keys = new Set(boxes.map((b) => b.key));
  const routed = edges.filter((e) => keys.has(e.from) && keys.has(e.to) && e.from !== e.to);
  const graph: ElkNode = {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: boxes.map((b) => ({ id: b.key, width: Math.max(LAYOUT.minNodeWidth, b.width), height: LAYOUT.nodeHeight })),
    edges: routed.map((e, i): ElkExtendedEdge => ({
      id: `e${i}`,
      sources: [e.from],
      targets: [e.to],
      // ELK places only labels that have a text; the text itself is drawn by the caller.
      ...(e.label ? { labels: [{ id: `${LABEL_PREFIX}${i}`, text: " ", width: e.label.width, height: e.label.height }] } : {}),
    })),
  };
  // ELK's own wrapping (elk.layered.wrapping) leaves some wrapped edges unrouted, hence wrapLayout.
  const laid = await laidOut(graph, options.cacheDir);
  const placed = new Map<string, PlacedBox>();
  for (const child of laid.children ?? []) {
    placed.set(child.id, { key: child.id, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? LAYOUT.minNodeWidth, height: child.height ?? LAYOUT.nodeHeight });
  }
  const placedEdges = (laid.edges ?? []).map((edge, i): PlacedEdge => {
    const e = routed[i] as LayoutEdge;
    const points = (edge.sections ?? []).flatMap((s, j) => [...(j === 0 ? [s.startPoint] : []), ...(s.bendPoints ?? []), s.endPoint]);
    const label = edge.labels?.[0];
    return { from: e.from, to: e.to, points, ...(label ? { label: { x: label.x ?? 0, y: label.y ?? 0 } } : {}) };
  });
  const labelSizes = routed.map((e) => e.label);
  return wrapLayout({ boxes: placed, edges: placedEdges, width: laid.width ?? 0, height: laid.height ?? 0 }, labelSizes, LAYOUT.pageWidth);
}
