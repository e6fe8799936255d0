import type { ExecutionPlan } from "../../plan/execution-plan.js";
import { layoutColumns, type ColumnLayout, type LayoutBox, type PlacedBox } from "./dag-layout.js";
import { curvePath, edgeCurve, pointAtX } from "./edge-curve.js";
import { stepAnchor, type ReportContext } from "./report-context.js";
import { REPORT_STATUSES, STATUS_LABELS, statusClass, type ReportStatus } from "./report-status.js";
import { html, type SafeHtml } from "./safe-html.js";
import { px } from "./svg-number.js";
import { textWidth } from "./text-width.js";
import { truncateText } from "./truncate-text.js";

const FONT = { name: 12, meta: 10, label: 10 } as const;
const MAX_CHARS = { name: 40, layer: 20, label: 28 } as const;
const PAD = 12;
const GAP = { min: 80, max: 240 } as const;

/** One arrow: the datasets `to` reads from `from` (boxes keyed `s<step index>` or `d<source index>`). */
interface DagEdge {
  readonly from: string;
  readonly to: string;
  readonly datasets: readonly string[];
}

const stepKey = (index: number): string => `s${index}`;
const sourceKey = (index: number): string => `d${index}`;

function nodeLines(ctx: ReportContext, name: string): { name: string; meta: string; status: ReportStatus } {
  const status = ctx.statusOf.get(name) ?? "pending";
  const layer = ctx.steps[ctx.indexOf.get(name) ?? -1]?.layer;
  // The layer is cut, never the status.
  const meta = layer === undefined ? STATUS_LABELS[status] : `${truncateText(layer, MAX_CHARS.layer)} · ${STATUS_LABELS[status]}`;
  return { name: truncateText(name, MAX_CHARS.name), meta, status };
}

const boxWidth = (name: string, meta: string): number => Math.max(textWidth(name, FONT.name), textWidth(meta, FONT.meta)) + 2 * PAD;

/** Columns of boxes: the source datasets first (if any), then one column per plan layer. */
function dagColumns(ctx: ReportContext, plan: ExecutionPlan): LayoutBox[][] {
  const sources = plan.sources.map((name, i) => ({ key: sourceKey(i), width: boxWidth(truncateText(name, MAX_CHARS.name), "source") }));
  const layers = plan.layers.map((layer) =>
    layer.map((name) => {
      const lines = nodeLines(ctx, name);
      return { key: stepKey(ctx.indexOf.get(name) ?? -1), width: boxWidth(lines.name, lines.meta) };
    }),
  );
  return sources.length > 0 ? [sources, ...layers] : layers;
}

/** Every arrow, one per pair of boxes (datasets of the same pair share it), plan edges and then sources' edges. */
function dagEdges(ctx: ReportContext, plan: ExecutionPlan): DagEdge[] {
  const byPair = new Map<string, { from: string; to: string; datasets: string[] }>();
  const add = (from: string, to: string, dataset: string): void => {
    const pair = `${from}>${to}`;
    const edge = byPair.get(pair) ?? { from, to, datasets: [] };
    edge.datasets.push(dataset);
    byPair.set(pair, edge);
  };
  const key = (name: string): string => stepKey(ctx.indexOf.get(name) ?? -1);
  for (const edge of plan.edges) add(key(edge.from), key(edge.to), edge.dataset);
  const sourceIndex = new Map(plan.sources.map((name, i) => [name, i]));
  for (const step of plan.steps) {
    for (const input of step.inputs) {
      const i = sourceIndex.get(input);
      if (i !== undefined) add(sourceKey(i), key(step.name), input);
    }
  }
  return [...byPair.values()];
}

/** The space after each column: room for the widest edge label drawn there. */
function gapWidths(columns: readonly LayoutBox[][], edges: readonly DagEdge[]): number[] {
  const columnOf = new Map(columns.flatMap((column, c) => column.map((box) => [box.key, c] as const)));
  const gaps = columns.map((): number => GAP.min);
  for (const edge of edges) {
    const c = columnOf.get(edge.from) ?? 0;
    const needed = textWidth(truncateText(edge.datasets.join(", "), MAX_CHARS.label), FONT.label) + 40;
    gaps[c] = Math.min(GAP.max, Math.max(gaps[c] ?? GAP.min, needed));
  }
  return gaps;
}

function edgeSvg(edge: DagEdge, layout: ColumnLayout, nameOf: (key: string) => string, gaps: readonly number[]): SafeHtml | undefined {
  const from = layout.boxes.get(edge.from);
  const to = layout.boxes.get(edge.to);
  if (from === undefined || to === undefined) return undefined;
  const curve = edgeCurve(from, to);
  // The label sits in the gap right after the producer: nothing else is drawn there, even for long edges.
  const at = pointAtX(curve, curve.x1 + (gaps[from.column] ?? GAP.min) / 2);
  const label = edge.datasets.join(", ");
  return html`<g class="edge"><title>${nameOf(edge.from)} → ${nameOf(edge.to)}: ${label}</title><path d="${curvePath(curve)}" marker-end="url(#arrow)"/><text x="${px(at.x)}" y="${px(at.y - 4)}" text-anchor="middle">${truncateText(label, MAX_CHARS.label)}</text></g>`;
}

function nodeText(box: PlacedBox, name: string, meta: string): SafeHtml {
  const cx = px(box.x + box.width / 2);
  return html`<text class="node-name" x="${cx}" y="${px(box.y + 19)}" text-anchor="middle">${name}</text><text class="node-meta" x="${cx}" y="${px(box.y + 35)}" text-anchor="middle">${meta}</text>`;
}

function rect(box: PlacedBox, radius: number): SafeHtml {
  return html`<rect x="${px(box.x)}" y="${px(box.y)}" width="${px(box.width)}" height="${px(box.height)}" rx="${radius}"/>`;
}

function stepNode(ctx: ReportContext, name: string, box: PlacedBox): SafeHtml {
  const index = ctx.indexOf.get(name) ?? -1;
  const lines = nodeLines(ctx, name);
  return html`<a href="#${stepAnchor(index)}" class="node ${statusClass(lines.status)}"><title>${name}: ${STATUS_LABELS[lines.status]}</title>${rect(box, 6)}${nodeText(box, lines.name, lines.meta)}</a>`;
}

function sourceNode(name: string, box: PlacedBox): SafeHtml {
  return html`<g class="node source"><title>source dataset ${name}</title>${rect(box, 20)}${nodeText(box, truncateText(name, MAX_CHARS.name), "source")}</g>`;
}

const ARROW = html`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`;

/** The legend of node colors. */
export function dagLegend(): SafeHtml {
  const item = (status: ReportStatus): SafeHtml => html`<li><span class="swatch ${statusClass(status)}"></span>${STATUS_LABELS[status]}</li>`;
  return html`<ul class="legend">${REPORT_STATUSES.map(item)}<li><span class="swatch source"></span>source dataset</li></ul>`;
}

/**
 * The DAG as SVG: one column per plan layer (source datasets in a column of their own on the left), one
 * node per step colored by its status and linking to its panel, and one arrow per producer and consumer
 * labelled with the datasets it carries.
 */
export function dagSvg(ctx: ReportContext): SafeHtml {
  const plan = ctx.source.plan;
  const columns = dagColumns(ctx, plan);
  const edges = dagEdges(ctx, plan);
  const gaps = gapWidths(columns, edges);
  const layout = layoutColumns(columns, gaps);
  const names = new Map<string, string>([...plan.sources.map((n, i) => [sourceKey(i), n] as const), ...ctx.steps.map((s, i) => [stepKey(i), s.stepName] as const)]);
  const nameOf = (key: string): string => names.get(key) ?? key;
  const place = (key: string): PlacedBox | undefined => layout.boxes.get(key);
  const sources = plan.sources.map((name, i) => {
    const box = place(sourceKey(i));
    return box && sourceNode(name, box);
  });
  const steps = plan.layers.flat().map((name) => {
    const box = place(stepKey(ctx.indexOf.get(name) ?? -1));
    return box && stepNode(ctx, name, box);
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="dag" width="${px(layout.width)}" height="${px(layout.height)}" viewBox="0 0 ${px(layout.width)} ${px(layout.height)}" role="img" aria-label="Pipeline graph">${ARROW}<g class="edges">${edges.map((e) => edgeSvg(e, layout, nameOf, gaps))}</g><g class="nodes">${sources}${steps}</g></svg>`;
}
