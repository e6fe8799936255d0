// The shapes of a laid-out graph, shared by the layout (dag-layout.ts) and its wrapping into rows (wrap-layout.ts).

/** A placed box: its top-left corner and size. */
export interface PlacedBox {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point of the drawing. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A routed arrow: the polyline it follows (start, bends, end) and where its label's top-left corner goes. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly Point[];
  readonly label?: Point;
}

/** Where every box and arrow went, and the size of the drawing. */
export interface GraphLayout {
  readonly boxes: ReadonlyMap<string, PlacedBox>;
  /** In the order of the edges given. */
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}
