import { closestNames } from "../util/closest-names.js";
import { nearNames } from "../util/near-names.js";
import { q } from "../util/quote.js";
import { SelectionError } from "./selection-error.js";

/** What a selector can see of one step. */
export interface SelectableStep {
  readonly name: string;
  readonly layer: string | undefined;
  readonly tags: readonly string[];
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
}

/** A `select` and an `exclude` expression (either may be absent). */
export interface Selection {
  /** dbt-style: `name`, `name+`, `+name`, `+name+`, `2+name`, `name+1`, `@name`, `tag:x`, `layer:x`, `stg_*`; `,` or spaces for a union. */
  readonly select?: string;
  /** Same syntax; removed from what `select` chose. */
  readonly exclude?: string;
}

/** The selector methods: what the part before `:` may be. */
export const SELECTOR_METHODS = ["name", "tag", "layer"] as const;
export type SelectorMethod = (typeof SELECTOR_METHODS)[number];

/** One term of an expression, parsed: `2+tag:nightly+` is { up: 2, method: tag, value: nightly, down: Infinity }. */
interface Term {
  readonly text: string;
  readonly method: SelectorMethod;
  readonly value: string;
  /** Ancestor depth: 0 none, Infinity all. */
  readonly up: number;
  readonly down: number;
  /** `@`: the matches, their descendants, and the ancestors of all of those. */
  readonly at: boolean;
}

const TERM = /^(@)?(?:(\d*)\+)?(?:([A-Za-z_]+):)?([^+@,\s]+)(?:\+(\d*))?$/;

function depth(digits: string | undefined, present: boolean): number {
  if (!present) return 0;
  return digits === undefined || digits === "" ? Infinity : Number(digits);
}

function parseTerm(text: string, flag: string): Term {
  const match = TERM.exec(text);
  if (match === null) {
    throw new SelectionError(text, `Invalid ${flag} term ${q(text)}: expected name, name+, +name, +name+, N+name, name+N, @name, tag:x or layer:x. Separate terms with "," or spaces.`);
  }
  const [, at, upDigits, method = "name", value = "", downDigits] = match;
  if (!(SELECTOR_METHODS as readonly string[]).includes(method)) {
    const [near] = closestNames(method, SELECTOR_METHODS);
    throw new SelectionError(text, `Unknown selector method ${q(method)} in ${flag} term ${q(text)}${near ? ` (did you mean ${q(near)}?)` : ""}. Methods are ${SELECTOR_METHODS.join(", ")}.`);
  }
  const up = depth(upDigits, text.replace(/^@/, "").match(/^\d*\+/) !== null);
  const down = depth(downDigits, /\+\d*$/.test(text));
  if (at && (up > 0 || down > 0)) {
    throw new SelectionError(text, `Invalid ${flag} term ${q(text)}: "@" already takes descendants and their ancestors; drop the "+".`);
  }
  return { text, method: method as SelectorMethod, value, up, down, at: at === "@" };
}

/** `*` any run of characters, `?` one character; everything else literal. */
function globMatcher(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

function valuesOf(steps: readonly SelectableStep[], method: SelectorMethod): string[] {
  const values = new Set<string>();
  for (const step of steps) {
    if (method === "name") values.add(step.name);
    else if (method === "tag") for (const tag of step.tags) values.add(tag);
    else if (step.layer !== undefined) values.add(step.layer);
  }
  return [...values].sort();
}

function listed(values: readonly string[]): string {
  if (values.length === 0) return "none";
  return values.length <= 20 ? values.join(", ") : `${values.slice(0, 20).join(", ")}, ... (${values.length} in all)`;
}

const WHAT: Record<SelectorMethod, { one: string; many: string }> = {
  name: { one: "step", many: "Steps" },
  tag: { one: "tag", many: "Tags" },
  layer: { one: "layer", many: "Layers" },
};

function matches(steps: readonly SelectableStep[], term: Term, flag: string): string[] {
  const test = globMatcher(term.value);
  const found = steps.filter((step) => {
    if (term.method === "name") return test(step.name);
    if (term.method === "tag") return step.tags.some(test);
    return step.layer !== undefined && test(step.layer);
  });
  if (found.length > 0) return found.map((s) => s.name);
  const known = valuesOf(steps, term.method);
  const what = WHAT[term.method];
  const where = `in ${flag} ${q(term.text)}`;
  const listing = `${what.many} in this pipeline: ${listed(known)}.`;
  if (/[*?]/.test(term.value)) throw new SelectionError(term.text, `No ${what.one} matches ${q(term.value)} ${where}. ${listing}`);
  const near = nearNames(term.value, known);
  const hint = near.length > 0 ? ` (did you mean ${near.map(q).join(" or ")}?)` : "";
  const problem = term.method === "name" ? "no step has this name" : `no step has this ${what.one}`;
  throw new SelectionError(term.text, `Unknown ${what.one} ${q(term.value)} ${where}: ${problem}${hint}. ${listing}`);
}

/** Steps within `limit` hops of `start` along `next` (start excluded). */
function walk(start: string, limit: number, next: (name: string) => readonly string[]): string[] {
  const seen = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const d = seen.get(name) as number;
    if (d >= limit) continue;
    for (const other of next(name)) {
      if (seen.has(other)) continue;
      seen.set(other, d + 1);
      queue.push(other);
    }
  }
  seen.delete(start);
  return [...seen.keys()];
}

function evaluate(steps: readonly SelectableStep[], expression: string, flag: string): Set<string> {
  const terms = expression.split(/[,\s]+/).filter((t) => t !== "");
  if (terms.length === 0) throw new SelectionError(expression, `Empty ${flag} expression: give step names, tag:x or layer:x, separated by ",".`);
  const byName = new Map(steps.map((s) => [s.name, s]));
  const up = (name: string): readonly string[] => byName.get(name)?.upstream ?? [];
  const down = (name: string): readonly string[] => byName.get(name)?.downstream ?? [];
  const chosen = new Set<string>();
  for (const text of terms) {
    const term = parseTerm(text, flag);
    for (const name of matches(steps, term, flag)) {
      chosen.add(name);
      if (term.at) {
        const family = [name, ...walk(name, Infinity, down)];
        for (const member of family) {
          chosen.add(member);
          for (const ancestor of walk(member, Infinity, up)) chosen.add(ancestor);
        }
        continue;
      }
      if (term.up > 0) for (const other of walk(name, term.up, up)) chosen.add(other);
      if (term.down > 0) for (const other of walk(name, term.down, down)) chosen.add(other);
    }
  }
  return chosen;
}

/**
 * The names of the steps a selection chooses, in the order of `steps`; every step when neither `select`
 * nor `exclude` is given.
 *
 * @example
 * ```ts
 * selectSteps(steps, { select: "+enrich,tag:nightly", exclude: "layer:store" });
 * ```
 * @throws SelectionError for an unknown step, tag, layer or method (with "did you mean"), a malformed term,
 *   or a selection that leaves no step.
 */
export function selectSteps(steps: readonly SelectableStep[], selection: Selection): string[] {
  const { select, exclude } = selection;
  const chosen = select === undefined ? new Set(steps.map((s) => s.name)) : evaluate(steps, select, "select");
  const dropped = exclude === undefined ? new Set<string>() : evaluate(steps, exclude, "exclude");
  const names = steps.map((s) => s.name).filter((name) => chosen.has(name) && !dropped.has(name));
  if (names.length === 0) {
    const given = [select === undefined ? undefined : `select ${q(select)}`, exclude === undefined ? undefined : `exclude ${q(exclude)}`].filter((x) => x !== undefined);
    throw new SelectionError(select ?? exclude ?? "", `Empty selection ${given.join(" ")}: it leaves no step to run. Select at least one step (steps: ${listed(steps.map((s) => s.name))}).`);
  }
  return names;
}

/** True when the selection chooses something other than "everything". */
export function isSelecting(selection: Selection | undefined): selection is Selection {
  return selection !== undefined && (selection.select !== undefined || selection.exclude !== undefined);
}

