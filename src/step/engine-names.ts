import { ENGINES } from "./step.js";

/** The engines `run` steps may name: the built-in ones and those registered since (in that order). */
const NAMES = new Set<string>(ENGINES);

/** Lets `run` steps name an engine (done when the engine is registered). */
export function addEngineName(name: string): void {
  NAMES.add(name);
}

/** Forgets a registered engine's name (a built-in engine's stays). */
export function removeEngineName(name: string): void {
  if (!(ENGINES as readonly string[]).includes(name)) NAMES.delete(name);
}

/** True when a `run` step may name `name` in `engine`. */
export function isEngineName(name: unknown): boolean {
  return typeof name === "string" && NAMES.has(name);
}

/** Every engine name a `run` step may give, for messages. */
export function engineNames(): string[] {
  return [...NAMES];
}
