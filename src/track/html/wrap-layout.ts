import type { GraphLayout, PlacedBox, PlacedEdge, Point } from "./graph-layout.js";

/** Space between two arrows that run side by side in a channel, and from a channel to the drawing. */
const LANE = 5;
const MARGIN = 16;

interface Band {
  readonly from: number;
  readonly to: number;
  /** The band's vertical extent in the unwrapped drawing. */
  top: number;
  bottom: number;
  /** Where the band's top goes in the wrapped drawing. */
  y: number;
}

interface Span {
  readonly x1: number;
  readonly x2: number;
}

/** Horizontal stretches covered by a box or a label: no cut may go through them. */
function coveredSpans(layout: GraphLayout, labels: readonly ({ width: number; height: number } | undefined)[]): Span[] {
  const spans: Span[] = [...layout.boxes.values()].map((b) => ({ x1: b.x, x2: b.x + b.width }));
  layout.edges.forEach((e, i) => {
    const size = labels[i];
    if (e.label && size) spans.push({ x1: e.label.x, x2: e.label.x + size.width });
  });
  return spans.sort((a, b) => a.x1 - b.x1);
}

/** Where the drawing may be cut: the middle of every free stretch, away from the arrows' vertical runs. */
function candidateCuts(layout: GraphLayout, spans: readonly Span[]): number[] {
  const verticals = new Set<number>();
  for (const e of layout.edges) {
    for (let i = 1; i < e.points.length; i++) {
      const [a, b] = [e.points[i - 1] as Point, e.points[i] as Point];
      if (Math.abs(a.x - b.x) < 0.01) verticals.add(Math.round(a.x));
    }
  }
  const cuts: number[] = [];
  let reach = -Infinity;
  for (const span of spans) {
    if (reach > -Infinity && span.x1 - reach >= 6) {
      // The free stretch (reach, span.x1): its middle, or the nearest point no vertical run is on.
      const mid = Math.round((reach + span.x1) / 2);
      const free = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5].map((d) => mid + d).find((x) => x > reach + 1 && x < span.x1 - 1 && !verticals.has(x) && !verticals.has(x - 1) && !verticals.has(x + 1));
      if (free !== undefined) cuts.push(free + 0.5);
    }
    reach = Math.max(reach, span.x2);
  }
  return cuts;
}

/** Splits a polyline where it crosses `x`, so that every piece lies on one side of every cut. */
function splitAt(points: readonly Point[], cuts: readonly number[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    const prev = points[i - 1];
    if (prev !== undefined) {
      const lo = Math.min(prev.x, p.x);
      const hi = Math.max(prev.x, p.x);
      const crossed = cuts.filter((c) => c > lo && c < hi);
      if (p.x < prev.x) crossed.reverse();
      for (const c of crossed) out.push({ x: c, y: prev.y + ((p.y - prev.y) * (c - prev.x)) / (p.x - prev.x) });
    }
    out.push(p);
  }
  return out;
}

/**
 * Fits a drawing wider than `pageWidth` to the page: cuts it, between layers (never through a box or a
 * label), into bands at most that wide and stacks them one under another. An arrow that crosses a cut
 * leaves its band to the right, runs down a channel of its own to the gap under the band, back left,
 * and down into the next band, where it goes on as it was routed: arrows still never cross a box, and
 * no two share a lane of a channel.
 */
export function wrapLayout(layout: GraphLayout, labels: readonly ({ width: number; height: number } | undefined)[], pageWidth: number): GraphLayout {
  if (layout.width <= pageWidth) return layout;
  const cuts = candidateCuts(layout, coveredSpans(layout, labels));
  const pieces = layout.edges.map((e) => splitAt(e.points, cuts));
  const crossings = (c: number): number => pieces.filter((p) => p.some((q) => q.x === c)).length;
  const channel = LANE * (Math.max(0, ...cuts.map(crossings)) + 1) + MARGIN / 2;
  const budget = pageWidth - 2 * channel;
  const chosen: number[] = [];
  let start = 0;
  for (let i = 0; i < cuts.length; i++) {
    const next = cuts[i + 1];
    if ((next === undefined ? layout.width : next) - start > budget && (cuts[i] as number) > start) {
      chosen.push(cuts[i] as number);
      start = cuts[i] as number;
    }
  }
  if (chosen.length === 0) return layout;
  const bounds = [0, ...chosen, layout.width];
  const bands: Band[] = bounds.slice(1).map((to, i) => ({ from: bounds[i] as number, to, top: Infinity, bottom: -Infinity, y: 0 }));
  const bandOf = (x: number): number => Math.max(0, bands.findIndex((b) => x <= b.to + 0.01));
  const grow = (x: number, y1: number, y2: number): void => {
    const band = bands[bandOf(x)] as Band;
    band.top = Math.min(band.top, y1);
    band.bottom = Math.max(band.bottom, y2);
  };
  for (const b of layout.boxes.values()) grow(b.x + b.width / 2, b.y, b.y + b.height);
  layout.edges.forEach((e, i) => e.label && grow(e.label.x, e.label.y, e.label.y + (labels[i]?.height ?? 0)));
  // The arrows' runs: a piece between two cuts lies in one band.
  for (const p of pieces) for (let i = 1; i < p.length; i++) grow(((p[i - 1] as Point).x + (p[i] as Point).x) / 2, Math.min((p[i - 1] as Point).y, (p[i] as Point).y), Math.max((p[i - 1] as Point).y, (p[i] as Point).y));
  // Lanes: each arrow crossing a cut has its own, numbered per cut.
  const lanes = chosen.map((c) => pieces.map((p, e) => (p.some((q) => q.x === c) ? e : -1)).filter((e) => e >= 0));
  let y = MARGIN / 2;
  bands.forEach((band, i) => {
    if (band.top === Infinity) [band.top, band.bottom] = [0, 0];
    band.y = y;
    y += band.bottom - band.top + LANE * ((lanes[i]?.length ?? 0) + 1) + MARGIN;
  });
  const move = (p: Point): Point => {
    const band = bands[bandOf(p.x)] as Band;
    return { x: p.x - band.from + channel, y: p.y - band.top + band.y };
  };
  const moveInto = (p: Point, band: Band): Point => ({ x: p.x - band.from + channel, y: p.y - band.top + band.y });
  const edges = layout.edges.map((e, index): PlacedEdge => {
    const points: Point[] = [];
    const piece = pieces[index] as Point[];
    for (let i = 0; i < piece.length; i++) {
      const p = piece[i] as Point;
      const cut = chosen.indexOf(p.x);
      if (cut < 0 || i === 0 || i === piece.length - 1) {
        points.push(move(p));
        continue;
      }
      const [above, below] = [bands[cut] as Band, bands[cut + 1] as Band];
      const lane = (lanes[cut] as number[]).indexOf(index) + 1;
      const exit = moveInto(p, above);
      const entry = moveInto(p, below);
      const right = channel + (above.to - above.from) + LANE * lane;
      const gap = above.y + (above.bottom - above.top) + MARGIN / 2 + LANE * lane;
      const left = channel - LANE * lane;
      points.push(exit, { x: right, y: exit.y }, { x: right, y: gap }, { x: left, y: gap }, { x: left, y: entry.y }, entry);
    }
    return { ...e, points, ...(e.label ? { label: move(e.label) } : {}) };
  });
  const boxes = new Map<string, PlacedBox>([...layout.boxes].map(([key, b]) => {
    const top = move({ x: b.x + b.width / 2, y: b.y });
    return [key, { ...b, x: top.x - b.width / 2, y: top.y }];
  }));
  const width = Math.max(...bands.map((b) => b.to - b.from)) + 2 * channel + MARGIN / 2;
  return { boxes, edges, width, height: y };
}
