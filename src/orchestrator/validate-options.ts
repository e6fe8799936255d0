import { InvalidOptionsError } from "../errors/linea-error.js";
import { validateRetryOptions } from "../execute/retry-policy.js";
import type { OrchestratorOptions } from "./orchestrator-options.js";

function wholeNumber(options: OrchestratorOptions, field: "maxWorkers" | "maxRetries" | "sampleRows", min: number): void {
  const value = options[field];
  if (value === undefined) return;
  if (!(typeof value === "number" && Number.isInteger(value) && value >= min)) {
    throw new InvalidOptionsError(field, `Expected \`${field}\` to be a whole number from ${min} and up, got \`${String(value)}\``);
  }
}

/** Throws an {@link InvalidOptionsError} for the first option of the wrong shape. */
export function validateOptions(options: OrchestratorOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionsError("options", "Expected an options object: new Orchestrator({ name, steps })");
  }
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new InvalidOptionsError("name", `Expected \`name\` to be a non-empty string, got \`${String(options.name)}\``);
  }
  if (!Array.isArray(options.steps)) {
    throw new InvalidOptionsError("steps", "Expected `steps` to be an array of steps");
  }
  wholeNumber(options, "maxWorkers", 1);
  wholeNumber(options, "maxRetries", 0);
  wholeNumber(options, "sampleRows", 0);
  if (options.timeoutMs !== undefined && !(typeof options.timeoutMs === "number" && options.timeoutMs > 0)) {
    throw new InvalidOptionsError("timeoutMs", `Expected \`timeoutMs\` to be a positive number of milliseconds, got \`${String(options.timeoutMs)}\``);
  }
  if (options.retry !== undefined) {
    const [problem] = validateRetryOptions(options.retry, "retry");
    if (problem !== undefined) throw new InvalidOptionsError("retry", `Invalid option: ${problem}`);
  }
}
