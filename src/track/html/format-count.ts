import { formatCount } from "../../util/format-count.js";

export { formatCount };

/** A signed row delta: `+1,457`, `-12`, `0`. */
export function formatDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** A count and a noun, plural unless the count is 1: `1 row`, `1,457 rows`. */
export function formatRows(n: number, noun = "row"): string {
  return `${formatCount(n)} ${noun}${n === 1 ? "" : "s"}`;
}
