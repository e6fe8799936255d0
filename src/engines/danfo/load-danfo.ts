/** The danfojs-node module. */
export type DanfoModule = typeof import("danfojs-node");

let loading: Promise<DanfoModule> | undefined;

/**
 * Loads danfojs-node on first use only: importing it costs about a second (it brings TensorFlow.js), a
 * price only pipelines with danfo steps should pay.
 */
export function loadDanfo(): Promise<DanfoModule> {
  loading ??= import("danfojs-node");
  return loading;
}
