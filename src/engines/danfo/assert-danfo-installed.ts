import { createRequire } from "node:module";
import type { StepSpec } from "../../step/step-spec.js";
import { DanfoMissingError } from "./danfo-missing-error.js";
import { DANFO_PACKAGE } from "./load-danfo.js";

const require = createRequire(import.meta.url);

let installed: boolean | undefined;

/** True when danfojs-node resolves from linea (found, not loaded: loading it costs about a second). */
function danfoResolves(): boolean {
  if (installed === undefined) {
    try {
      require.resolve(DANFO_PACKAGE);
      installed = true;
    } catch {
      installed = false;
    }
  }
  return installed;
}

/**
 * Planning's check that the danfo engine is there when a step needs it.
 *
 * @param isInstalled whether danfojs-node can be loaded (by default: whether it resolves from linea).
 * @throws DanfoMissingError naming the danfo steps, what to install, and the overrides it needs.
 */
export function assertDanfoInstalled(specs: readonly StepSpec[], isInstalled: () => boolean = danfoResolves): void {
  const steps = specs.filter((s) => s.body.kind === "run" && s.body.engine === "danfo").map((s) => s.name);
  if (steps.length > 0 && !isInstalled()) throw new DanfoMissingError(steps);
}
