import type { StepSpec } from "../step/step-spec.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxError, type PathViolation } from "./sandbox-error.js";

/** The read and write paths of the steps that resolve outside the sandbox, in the order given. */
export function stepPathViolations(specs: readonly StepSpec[], sandbox: Sandbox): PathViolation[] {
  const violations: PathViolation[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as StepSpec;
    const { body } = spec;
    if (body.kind !== "read" && body.kind !== "write") continue;
    if (sandbox.allows(body.path)) continue;
    violations.push({ stepName: spec.name, access: body.kind === "read" ? "reads" : "writes", path: body.path, resolved: sandbox.resolve(body.path).real });
  }
  return violations;
}

/** Throws a {@link SandboxError} naming every step path outside the sandbox. */
export function checkStepPaths(specs: readonly StepSpec[], sandbox: Sandbox): void {
  const violations = stepPathViolations(specs, sandbox);
  if (violations.length > 0) throw new SandboxError(violations, sandbox.baseDir, sandbox.allowPaths);
}
