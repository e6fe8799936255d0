import { LineaError } from "../../errors/linea-error.js";
import { q } from "../../util/quote.js";

/**
 * The overrides danfojs-node 1.x needs in the project that installs it: without them it downloads `xlsx`
 * from outside the npm registry and installs TensorFlow's native build (@tensorflow/tfjs-node).
 */
export const DANFO_OVERRIDES = { xlsx: "0.18.5", "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs@3.21.0" } as const;

/** A pipeline has danfo steps, and danfojs-node (an optional peer dependency of linea) is not installed. */
export class DanfoMissingError extends LineaError {
  /** The danfo steps of the pipeline. */
  readonly steps: readonly string[];

  constructor(steps: readonly string[]) {
    const which = steps.length === 1 ? `step ${q(steps[0] ?? "")}` : `steps ${steps.map(q).join(", ")}`;
    super(
      "ENGINE",
      `Cannot plan danfo ${which}: danfojs-node is not installed (it is an optional peer dependency of linea). ` +
        `Install it in your project with \`npm install danfojs-node\`, after adding these overrides to your package.json ` +
        `(without them danfojs-node downloads xlsx from outside the npm registry and builds TensorFlow): ` +
        `"overrides": ${JSON.stringify(DANFO_OVERRIDES)}`,
    );
    this.steps = steps;
  }
}
