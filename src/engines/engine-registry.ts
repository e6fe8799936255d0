import { registerForm, unregisterForm } from "../data/form-adapters.js";
import { addEngineName, removeEngineName } from "../step/engine-names.js";
import { NAME_PATTERN } from "../step/step.js";
import { arrow } from "./arrow.js";
import { danfo } from "./danfo/danfo.js";
import { duckdb } from "./duckdb/duckdb.js";
import type { Engine } from "./engine.js";
import { rows } from "./rows.js";

/** The engines every orchestrator has: the built-in ones, then those registered, in that order. */
const REGISTERED: Engine[] = [];

/**
 * Checks an engine and makes its form known to data (its name and bodies: see {@link registerEngine}).
 * @throws Error when the engine is malformed, or another engine holds its name.
 */
export function admitEngine(engine: Engine): void {
  const name: unknown = engine?.name;
  if (typeof name !== "string" || !NAME_PATTERN.test(name) || name === "value") {
    throw new Error(`an engine's name is letters, digits, "_", "." or "-" (and not "value"); got ${JSON.stringify(name)}`);
  }
  if (engine.form?.form !== name) {
    throw new Error(`engine ${JSON.stringify(name)} must hold its data in the form of its own name; its form is ${JSON.stringify(engine.form?.form)}`);
  }
  if (typeof engine.version !== "function" || typeof engine.bodies !== "object" || engine.bodies === null) {
    throw new Error(`engine ${JSON.stringify(name)} needs version() and bodies (an empty object for an engine of run steps only)`);
  }
  registerForm(engine.form);
}

/**
 * Adds an engine for every orchestrator of this process: `run` steps may name it in `engine`, and a body
 * kind it implements (`sql`, `read`, `write`, `checks`) runs on it from then on (the last engine registered
 * that implements a kind runs it). Registering the same engine again does nothing. Returns what undoes it
 * (a built-in engine stays).
 *
 * @example
 * ```ts
 * import { registerEngine, type Engine } from "linea";
 * const unregister = registerEngine(myEngine);
 * ```
 * @throws Error when the engine is malformed, or another engine holds its name.
 */
export function registerEngine(engine: Engine): () => void {
  if (!REGISTERED.includes(engine)) {
    admitEngine(engine);
    addEngineName(engine.name);
    REGISTERED.push(engine);
  }
  return () => {
    const at = REGISTERED.indexOf(engine);
    if (at < BUILT_IN || REGISTERED.some((e, i) => i !== at && e.name === engine.name)) return;
    REGISTERED.splice(at, 1);
    removeEngineName(engine.name);
    unregisterForm(engine.form);
  };
}

/** Every registered engine, built-in ones first. */
export function registeredEngines(): readonly Engine[] {
  return REGISTERED;
}

for (const engine of [duckdb, arrow, danfo, rows]) registerEngine(engine);
const BUILT_IN = REGISTERED.length;
