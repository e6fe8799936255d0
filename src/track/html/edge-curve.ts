import type { PlacedBox } from "./dag-layout.js";
import { px } from "./svg-number.js";

/** A horizontal cubic Bézier from the right side of one box to the left side of another. */
export interface EdgeCurve {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** How far the control points reach horizontally from each end. */
  readonly reach: number;
}

/** The curve of an edge; it stops a little short of the target, where the arrowhead goes. */
export function edgeCurve(from: PlacedBox, to: PlacedBox): EdgeCurve {
  const x1 = from.x + from.width;
  const x2 = to.x - 1;
  return { x1, y1: from.y + from.height / 2, x2, y2: to.y + to.height / 2, reach: Math.max(24, (x2 - x1) / 2) };
}

/** The curve as an SVG path. */
export function curvePath(c: EdgeCurve): string {
  return `M${px(c.x1)},${px(c.y1)} C${px(c.x1 + c.reach)},${px(c.y1)} ${px(c.x2 - c.reach)},${px(c.y2)} ${px(c.x2)},${px(c.y2)}`;
}

function pointAt(c: EdgeCurve, t: number): { x: number; y: number } {
  const u = 1 - t;
  const [a, b, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t];
  return {
    x: a * c.x1 + b * (c.x1 + c.reach) + d * (c.x2 - c.reach) + t * t * t * c.x2,
    y: (a + b) * c.y1 + (d + t * t * t) * c.y2,
  };
}

/** The point of the curve at horizontal position `x` (x grows along the curve, so a bisection finds it). */
export function pointAtX(c: EdgeCurve, x: number): { x: number; y: number } {
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 32; i++) {
    const mid = (lo + hi) / 2;
    if (pointAt(c, mid).x < x) lo = mid;
    else hi = mid;
  }
  return pointAt(c, (lo + hi) / 2);
}
