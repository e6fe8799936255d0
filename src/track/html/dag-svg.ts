import type { ExecutionPlan } from "../../plan/execution-plan.js";
import { layoutGraph, type LayoutBox, type LayoutOptions, type PlacedBox, type PlacedEdge, type Point } from "./dag-layout.js";
import { stepAnchor, type ReportContext } from "./report-context.js";
import { REPORT_STATUSES, STATUS_LABELS, statusClass, type ReportStatus } from "./report-status.js";
import { html, type SafeHtml } from "./safe-html.js";
import { px } from "./svg-number.js";
import { textWidth } from "./text-width.js";
import { truncateText } from "./truncate-text.js";

const FONT = { name: 12, meta: 10, label: 10 } as const;
const MAX_CHARS = { name: 40, layer: 20, label: 28 } as const;
const PAD = 12;

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

/**
 * The width of a step's status line is sized for the longest of the usual statuses, so that a rerun whose
 * steps are cached instead of run draws the same graph (and reuses its kept layout, see layoutGraph).
 */
const USUAL_STATUS_CHARS = Math.max(...(["success", "cached", "failed", "running", "pending"] as const).map((s) => STATUS_LABELS[s].length));

const boxWidth = (name: string, meta: string): number => Math.max(textWidth(name, FONT.name), textWidth(meta, FONT.meta)) + 2 * PAD;

/** Every box: the source datasets first (if any), then the steps in plan order. */
function dagBoxes(ctx: ReportContext, plan: ExecutionPlan): LayoutBox[] {
  const sources = plan.sources.map((name, i) => ({ key: sourceKey(i), width: boxWidth(truncateText(name, MAX_CHARS.name), "source") }));
  const steps = plan.layers.flat().map((name) => {
    const lines = nodeLines(ctx, name);
    return { key: stepKey(ctx.indexOf.get(name) ?? -1), width: boxWidth(lines.name, lines.meta.padEnd(lines.meta.length - STATUS_LABELS[lines.status].length + USUAL_STATUS_CHARS)) };
  });
  return [...sources, ...steps];
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

const labelText = (edge: DagEdge): string => truncateText(edge.datasets.join(", "), MAX_CHARS.label);

/** The label's box: its text's width and one line of the label font, with a little room around. */
const labelSize = (edge: DagEdge): { width: number; height: number } => ({ width: textWidth(labelText(edge), FONT.label) + 4, height: FONT.label + 4 });

function edgePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${px(p.x)},${px(p.y)}`).join(" ");
}

function edgeSvg(edge: DagEdge, placed: PlacedEdge | undefined, nameOf: (key: string) => string): SafeHtml | undefined {
  if (placed === undefined || placed.points.length < 2) return undefined;
  const label = edge.datasets.join(", ");
  const size = labelSize(edge);
  // ELK gives the label's top-left corner; the text is centred in that box, on its baseline.
  const text = placed.label
    ? html`<text x="${px(placed.label.x + size.width / 2)}" y="${px(placed.label.y + size.height - 4)}" text-anchor="middle">${labelText(edge)}</text>`
    : html``;
  return html`<g class="edge"><title>${nameOf(edge.from)} → ${nameOf(edge.to)}: ${label}</title><path d="${edgePath(placed.points)}" marker-end="url(#arrow)"/>${text}</g>`;
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
 * The DAG as SVG, laid out by ELK's layered algorithm when the report is written (the page has no
 * scripts): source datasets and steps as boxes (a step colored by its status and linking to its panel),
 * one orthogonal arrow per producer and consumer, routed around boxes and labelled with the datasets it
 * carries, labels placed where nothing else is. A long pipeline is wrapped into rows; the drawing scales
 * down to the page's width (its `viewBox`) and is never drawn larger than its natural size.
 */
export async function dagSvg(ctx: ReportContext, options: LayoutOptions = {}): Promise<SafeHtml> {
  const plan = ctx.source.plan;
  const edges = dagEdges(ctx, plan);
  const layout = await layoutGraph(dagBoxes(ctx, plan), edges.map((e) => ({ from: e.from, to: e.to, label: labelSize(e) })), options);
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
  const [w, h] = [px(Math.ceil(layout.width)), px(Math.ceil(layout.height))];
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="dag" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="Pipeline graph">${ARROW}<g class="edges">${edges.map((e, i) => edgeSvg(e, layout.edges[i], nameOf))}</g><g class="nodes">${sources}${steps}</g></svg>`;
}
