import type { ErrorObject } from "ajv";
import { isPlainObject } from "../util/plain-object.js";
import { q, qList } from "../util/quote.js";
import { describeValue, describeValueError, typeWords, unknownFieldMessage, type SchemaNode } from "./describe-schema-error.js";
import { pathOfPointer, placeOf, type Finding } from "./place-of.js";

/** Errors not yet explained, and findings that already replaced a group of errors. */
type Pending =
  | { readonly kind: "error"; readonly error: ErrorObject }
  | { readonly kind: "finding"; readonly instancePath: string; readonly finding: Finding };

type ResolveRef = (node: SchemaNode) => SchemaNode;

const pointerOf = (p: Pending): string => (p.kind === "error" ? p.error.instancePath : p.instancePath);
const isAtOrUnder = (pointer: string, base: string): boolean => pointer === base || pointer.startsWith(`${base}/`);
const requiredOnly = (node: SchemaNode): boolean => Object.keys(node).length === 1 && node.required?.length === 1;

function finding(instancePath: string, message: string, key?: string): Pending {
  return { kind: "finding", instancePath, finding: { path: pathOfPointer(instancePath), message, ...(key === undefined ? {} : { key }) } };
}

function jsonTypes(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number") return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  return [typeof value];
}

/** Whether a value is of the kind a branch takes (its `type`, `const` or `enum`), whatever else is wrong with it. */
function acceptsKind(branch: SchemaNode, value: unknown): boolean {
  if (branch.type !== undefined) return [branch.type].flat().some((type) => jsonTypes(value).includes(type));
  if ("const" in branch) return branch.const === value;
  if (branch.enum !== undefined) return branch.enum.includes(value);
  return true;
}

/** True for the type or const error a branch raises when the value is of another kind. */
function isKindError(branch: SchemaNode, error: ErrorObject): boolean {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "type") return branch.type !== undefined && [branch.type].flat().join(",") === String(params.type);
  if (error.keyword === "const") return "const" in branch && branch.const === params.allowedValue;
  return false;
}

function branchWords(branch: SchemaNode): string {
  if (branch.type !== undefined) return typeWords([branch.type].flat());
  return "const" in branch ? JSON.stringify(branch.const) : "valid";
}

/**
 * An anyOf failed. ajv reports every branch's errors; keep only those of the branches that take the
 * value's kind (an object for `{ path, format }`, a list for `[names]`), or, when none does, one message
 * saying what the value must be. ajv pushes an anyOf's error right after its branches' errors, and no schema
 * here puts another keyword beside an anyOf, so the errors at or under its place not yet settled are its branches'.
 */
function settleAnyOf(pending: Pending[], error: ErrorObject, resolve: ResolveRef): Pending[] {
  const at = error.instancePath;
  const inBlock = (p: Pending): boolean => isAtOrUnder(pointerOf(p), at);
  const branches = (error.schema as SchemaNode[]).map(resolve);
  if (branches.every(requiredOnly)) {
    const names = branches.map((branch) => branch.required?.[0] ?? "");
    return [...pending.filter((p) => !inBlock(p)), finding(at, `needs at least one of ${qList(names)}`)];
  }
  const others = branches.filter((branch) => !acceptsKind(branch, error.data));
  if (others.length === branches.length) {
    const expected = (error.parentSchema as SchemaNode).errorMessage ?? `must be ${branches.map(branchWords).join(" or ")}`;
    return [...pending.filter((p) => !inBlock(p)), finding(at, `${expected}, got ${describeValue(error.data)}`)];
  }
  return pending.filter((p) => !(p.kind === "error" && p.error.instancePath === at && others.some((b) => isKindError(b, p.error))));
}

/** A key failed `propertyNames`: one message naming the key, from the error about the key itself. */
function settlePropertyNames(pending: Pending[], error: ErrorObject): Pending[] {
  const name = String((error.params as { propertyName?: unknown }).propertyName);
  const isAboutKey = (p: Pending): boolean =>
    p.kind === "error" && p.error.instancePath === error.instancePath && (p.error as { propertyName?: string }).propertyName === name;
  const inner = pending.find(isAboutKey);
  const problem = inner?.kind === "error" ? describeValueError(inner.error, false) : "is not allowed";
  return [...pending.filter((p) => !isAboutKey(p)), finding(error.instancePath, `key ${q(name)} ${problem}`, name)];
}

/** The field sets an `if: { oneOf: [{ required: [a] }, ...] }` holds exactly one of: the step's bodies. */
function exclusiveFields(node: SchemaNode | undefined): string[] | undefined {
  const branches = node?.if?.oneOf;
  return branches !== undefined && branches.every(requiredOnly) ? branches.map((b) => b.required?.[0] ?? "") : undefined;
}

/**
 * An if/then/else failed. The errors of the `then` or `else` part say what is wrong; the one exception is
 * the step's `if: exactly one body, else: false`, said here in words.
 */
function settleIf(pending: Pending[], error: ErrorObject): Pending[] {
  const fields = exclusiveFields(error.parentSchema as SchemaNode | undefined);
  if (fields === undefined) return pending;
  const rest = pending.filter((p) => !(p.kind === "error" && p.error.keyword === "false schema" && p.error.instancePath === error.instancePath));
  if (!isPlainObject(error.data)) return rest;
  const data = error.data;
  const present = fields.filter((field) => data[field] !== undefined);
  const found = present.length === 0 ? "has no body" : `has ${present.length} bodies (${present.join(", ")})`;
  return [...rest, finding(error.instancePath, `${found}; give exactly one of ${fields.join(", ")}`)];
}

function toFinding(p: Pending): Finding {
  if (p.kind === "finding") return p.finding;
  const { error } = p;
  const path = pathOfPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path, message: `missing required field ${q(String(params.missingProperty))}` };
    case "additionalProperties":
      return { path, key: String(params.additionalProperty), message: unknownFieldMessage(error) };
    case "dependencies":
      return {
        path, key: String(params.property),
        message: `${q(String(params.property))} is allowed only together with ${q(String(params.missingProperty))}`,
      };
    default:
      return { path, message: describeValueError(error) };
  }
}

/**
 * ajv's errors (run with `allErrors` and `verbose`) as findings people can act on: one clear message per
 * problem, the cascades of `anyOf`, `if` and `propertyNames` folded, duplicates dropped. Order is ajv's.
 */
export function schemaFindings(errors: readonly ErrorObject[], resolve: ResolveRef): Finding[] {
  let pending: Pending[] = [];
  for (const error of errors) {
    if (error.keyword === "anyOf") pending = settleAnyOf(pending, error, resolve);
    else if (error.keyword === "propertyNames") pending = settlePropertyNames(pending, error);
    else if (error.keyword === "if") pending = settleIf(pending, error);
    else pending.push({ kind: "error", error });
  }
  const seen = new Set<string>();
  return pending.map(toFinding).filter((f) => {
    const id = `${placeOf(f.path)}\n${f.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
