import { q } from "../util/quote.js";
import { placeOf, type Finding } from "./place-of.js";

/** A finding for every step that reuses an earlier step's name, at its `name` (`steps[3].name`). */
export function duplicateStepNames(steps: readonly unknown[]): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  steps.forEach((step, i) => {
    const name = (step as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else findings.push({ path: ["steps", i, "name"], message: `duplicate step name ${q(name)} (also ${placeOf(["steps", earlier])}); give each step a unique name` });
  });
  return findings;
}
