import { dirname } from "node:path";
import { PlanError } from "../plan/plan-errors.js";
import { q } from "../util/quote.js";

/** How a step touches a path. */
export const PATH_ACCESSES = ["reads", "writes"] as const;
export type PathAccess = (typeof PATH_ACCESSES)[number];

/** One path a step gives that resolves outside the sandbox. */
export interface PathViolation {
  readonly stepName: string;
  readonly access: PathAccess;
  /** The path as the step gives it. */
  readonly path: string;
  /** Where it resolves, symbolic links followed. */
  readonly resolved: string;
}

/** The folders to allow so that every violation would be inside: each resolved path's folder. */
function foldersToAllow(violations: readonly PathViolation[]): string[] {
  return [...new Set(violations.map((v) => dirname(v.resolved)))].sort();
}

/**
 * A step reads or writes a path outside the pipeline's sandbox (its baseDir and allowed paths). Raised
 * when the plan is made, before anything runs.
 */
export class SandboxError extends PlanError {
  /** The first violation's step and path. */
  readonly stepName: string;
  readonly path: string;
  /** Every violation, in plan order. */
  readonly violations: readonly PathViolation[];

  constructor(violations: readonly PathViolation[], baseDir: string, allowPaths: readonly string[]) {
    const details = violations
      .map((v) => `step ${q(v.stepName)} ${v.access} ${q(v.path)}${v.path === v.resolved ? "" : ` (resolves to ${v.resolved})`}`)
      .join("; ");
    const allowed = allowPaths.length > 0 ? ` and its allowed paths ${allowPaths.join(", ")}` : "";
    const folders = foldersToAllow(violations);
    super(
      "SANDBOX",
      `Path outside the sandbox: ${details}. A pipeline reads and writes only under its baseDir ${baseDir}${allowed}. ` +
        `Move the files under the baseDir, or allow their folders: allowPaths: [${folders.map(q).join(", ")}] in the options ` +
        `or the pipeline file, or ${folders.map((f) => `--allow-path ${f}`).join(" ")} on the command line.`,
    );
    const [first] = violations;
    this.stepName = first?.stepName ?? "";
    this.path = first?.path ?? "";
    this.violations = violations;
  }
}
