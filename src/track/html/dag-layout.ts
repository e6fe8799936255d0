/** A box to place: a key of the caller's (never drawn) and the width its text needs. */
export interface LayoutBox {
  readonly key: string;
  readonly width: number;
}

/** A placed box: its top-left corner and size. */
export interface PlacedBox {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly column: number;
}

/** Where every box went, and the size of the drawing. */
export interface ColumnLayout {
  readonly boxes: ReadonlyMap<string, PlacedBox>;
  readonly width: number;
  readonly height: number;
}

/** The drawing's fixed measures, in pixels. */
export const LAYOUT = { margin: 16, nodeHeight: 44, rowGap: 18, minNodeWidth: 120 } as const;

function columnHeight(count: number): number {
  return count * LAYOUT.nodeHeight + Math.max(0, count - 1) * LAYOUT.rowGap;
}

/**
 * Places boxes in columns, left to right, each column as wide as its widest box and centred vertically on
 * the tallest; `gaps[i]` is the space after column `i` (room for the edge labels drawn there).
 */
export function layoutColumns(columns: readonly (readonly LayoutBox[])[], gaps: readonly number[]): ColumnLayout {
  const tallest = Math.max(0, ...columns.map((c) => columnHeight(c.length)));
  const boxes = new Map<string, PlacedBox>();
  let x = LAYOUT.margin;
  columns.forEach((column, c) => {
    const width = Math.max(LAYOUT.minNodeWidth, ...column.map((b) => b.width));
    let y = LAYOUT.margin + (tallest - columnHeight(column.length)) / 2;
    for (const box of column) {
      boxes.set(box.key, { key: box.key, x, y, width, height: LAYOUT.nodeHeight, column: c });
      y += LAYOUT.nodeHeight + LAYOUT.rowGap;
    }
    x += width + (c < columns.length - 1 ? (gaps[c] ?? 0) : 0);
  });
  return { boxes, width: x + LAYOUT.margin, height: tallest + 2 * LAYOUT.margin };
}
