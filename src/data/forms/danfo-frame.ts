/**
 * Where a project registers danfo.js's own types. linea's declarations do not depend on danfojs-node (an
 * optional peer dependency), so by default a danfo step's inputs are {@link DanfoFrameShape}s. A project
 * that installs danfojs-node registers its DataFrame once, in any file of its program:
 *
 * @example
 * ```ts
 * import type { DataFrame } from "danfojs-node";
 * declare module "linea" {
 *   interface DanfoTypes { DataFrame: DataFrame }
 * }
 * ```
 */
export interface DanfoTypes {}

/**
 * A danfo.js DataFrame as linea's types see it when danfo's types are not registered: its columns and
 * shape, and any other member untyped (`df["revenue"].sum()` compiles; register {@link DanfoTypes} for
 * danfo's checked API).
 */
export interface DanfoFrameShape {
  readonly columns: string[];
  readonly shape: number[];
  // Untyped on purpose: the rest of danfo's API, whose types linea does not depend on.
  readonly [member: string]: any;
}

/** The danfo.js DataFrame: danfo's own type when registered in {@link DanfoTypes}, else {@link DanfoFrameShape}. */
export type DanfoDataFrame = DanfoTypes extends { DataFrame: infer F } ? F : DanfoFrameShape;

/** The part of the danfojs-node module linea uses (its DataFrame constructor). */
export interface DanfoModule {
  readonly DataFrame: new (data: Record<string, unknown[]>, options?: { columns?: string[] }) => DanfoDataFrame;
}
