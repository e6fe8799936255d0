import type { DanfoModule } from "../../data/forms/danfo-frame.js";

export type { DanfoModule } from "../../data/forms/danfo-frame.js";

/** The package of the danfo engine: an optional peer dependency of linea. */
export const DANFO_PACKAGE = "danfojs-node";

let loading: Promise<DanfoModule> | undefined;

/**
 * Loads danfojs-node on first use only: importing it costs about a second (it brings TensorFlow.js), a
 * price only runs that execute a danfo step should pay. Planning checks that it is installed
 * ({@link assertDanfoInstalled}).
 */
export function loadDanfo(): Promise<DanfoModule> {
  loading ??= import("danfojs-node") as unknown as Promise<DanfoModule>;
  return loading;
}
