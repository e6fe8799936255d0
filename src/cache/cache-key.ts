import { assertNever } from "../util/assert-never.js";
import type { CacheKeyParts } from "../model/run-model.js";
import type { StepSpec } from "../step/step-spec.js";
import { keyedRecord } from "../util/keyed-record.js";
import { sha256Hex as sha256 } from "../util/sha256.js";
import { sortSmall } from "../util/sort-small.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * The versions of what runs a step, by name: linea's, and each engine's (`duckdb`, `danfo`, `arrow`, and
 * those of registered engines). A change to linea's or DuckDB's changes every key; an engine's changes the
 * keys of the `run` steps that name it.
 */
export interface EngineVersions {
  readonly linea: string;
  readonly [engine: string]: string;
}

/** One input of a key: the step's local name for it, and the input data's version. */
export interface KeyInput {
  readonly local: string;
  readonly dataVersion: string;
}

/**
 * {@link sha256} of texts that recur from step to step (the params part, the versions part: most steps share
 * theirs), its first 16 hex digits, remembered (a bounded number of texts).
 */
const shortHashes = new Map<string, string>();

function shortHash(text: string): string {
  let hashed = shortHashes.get(text);
  if (hashed === undefined) {
    hashed = sha256(text).slice(0, 16);
    if (shortHashes.size >= 1024) shortHashes.clear();
    if (text.length <= 4096) shortHashes.set(text, hashed);
  }
  return hashed;
}

/** What the key says of a step's body: its SQL, its code (or codeVersion), or its file target. */
function bodyFingerprint(spec: StepSpec): unknown {
  const body = spec.body;
  switch (body.kind) {
    case "sql": return { sql: spec.codeVersion ?? body.sql };
    case "run": return { code: spec.codeVersion ?? body.fn.toString(), engine: body.engine };
    case "read":
    case "write": return { path: body.path, format: body.format, options: body.options, code: spec.codeVersion ?? null };
    default: return assertNever(body, "step body");
  }
}

/** {@link relevantVersions} canonically encoded, by versions and the `run` step's engine (one text for most steps). */
const encodedVersions = new WeakMap<EngineVersions, Map<string | undefined, string>>();

function encodedRelevantVersions(spec: StepSpec, versions: EngineVersions): string {
  const engine = spec.body.kind === "run" ? spec.body.engine : undefined;
  let byEngine = encodedVersions.get(versions);
  if (byEngine === undefined) {
    byEngine = new Map();
    encodedVersions.set(versions, byEngine);
  }
  let text = byEngine.get(engine);
  if (text === undefined) {
    text = canonicalJson(relevantVersions(spec, versions));
    byEngine.set(engine, text);
  }
  return text;
}

/** linea's version, DuckDB's (it runs the sql, read and write bodies and stores results), and the `run` step's engine's. */
function relevantVersions(spec: StepSpec, versions: EngineVersions): Record<string, string> {
  const used: Record<string, string> = { linea: versions.linea };
  if (versions.duckdb !== undefined) used.duckdb = versions.duckdb;
  const engine = spec.body.kind === "run" ? spec.body.engine : undefined;
  if (engine !== undefined && versions[engine] !== undefined) used[engine] = versions[engine];
  return used;
}

/**
 * A step's cache key: sha256 of the canonical encoding of its name, body, codeVersion, params, engine and
 * library versions, its outputs, its data checks, and each input's local name with that input's data version.
 * Renaming an input's local name changes the key (a SQL body reads its inputs by local name). The checks are
 * in it because a reused result was checked only against the checks of the run that stored it: adding or
 * tightening a check must run the step (and its checks) again, never report a success it did not check.
 * @throws TypeError when params cannot be encoded canonically (functions, class instances).
 */
export function cacheKey(spec: StepSpec, inputs: readonly KeyInput[], versions: EngineVersions): string {
  return cacheKeyAndParts(spec, inputs, versions).key;
}

/** A run step's function source, canonically encoded, by function: the same function is encoded once. */
const encodedBodies = new WeakMap<object, string>();

/** {@link bodyFingerprint}, canonically encoded. */
function encodedBody(spec: StepSpec): string {
  const body = spec.body;
  if (body.kind !== "run" || spec.codeVersion !== undefined) return canonicalJson(bodyFingerprint(spec));
  let code = encodedBodies.get(body.fn);
  if (code === undefined) {
    code = canonicalJson(body.fn.toString());
    encodedBodies.set(body.fn, code);
  }
  // As canonicalJson({ code, engine }) encodes it: keys sorted, an undefined engine as null.
  return `{"code":${code},"engine":${canonicalJson(body.engine)}}`;
}

function byLocal(a: KeyInput, b: KeyInput): number {
  return a.local < b.local ? -1 : a.local > b.local ? 1 : 0;
}

function sortedInputs(inputs: readonly KeyInput[]): readonly KeyInput[] {
  return inputs.length < 2 ? inputs : sortSmall(inputs.slice(), byLocal);
}

/** `canonicalJson(sorted.map((i) => [i.local, i.dataVersion]))`, without the pairs. */
function encodedInputs(sorted: readonly KeyInput[]): string {
  let text = "[";
  for (let i = 0; i < sorted.length; i++) {
    const input = sorted[i] as KeyInput;
    text += `${i === 0 ? "" : ","}[${JSON.stringify(input.local)},${canonicalJson(input.dataVersion)}]`;
  }
  return `${text}]`;
}

/**
 * A step's cache key ({@link cacheKey}) and its parts ({@link cacheKeyParts}) at once: each piece encoded once,
 * the same texts hashed as the two compute them apart. @throws TypeError as cacheKey does.
 */
export function cacheKeyAndParts(spec: StepSpec, inputs: readonly KeyInput[], versions: EngineVersions): { key: string; parts: CacheKeyParts } {
  const sorted = sortedInputs(inputs);
  const name = JSON.stringify(spec.name);
  const kind = JSON.stringify(spec.body.kind);
  const body = encodedBody(spec);
  const codeVersion = spec.codeVersion === undefined ? "null" : canonicalJson(spec.codeVersion);
  const params = spec.params === undefined ? "null" : canonicalJson(spec.params);
  const outputs = canonicalJson(spec.outputs);
  const checks = spec.checks.length === 0 ? "[]" : canonicalJson(spec.checks);
  const used = encodedRelevantVersions(spec, versions);
  const keyInputs = encodedInputs(sorted);
  const key = sha256(`["linea-cache-key-2",${name},${kind},${body},${codeVersion},${params},${outputs},${checks},${used},${keyInputs}]`);
  const inputsPart = keyedRecord<string>();
  for (let i = 0; i < sorted.length; i++) {
    const input = sorted[i] as KeyInput;
    // A local name "__proto__" is a key like any other (assigning it would set the prototype).
    if (input.local === "__proto__") Object.defineProperty(inputsPart, input.local, { value: input.dataVersion, enumerable: true, writable: true, configurable: true });
    else inputsPart[input.local] = input.dataVersion;
  }
  return {
    key,
    parts: {
      code: sha256(`[${name},${kind},${body},${codeVersion},${outputs},${checks}]`).slice(0, 16),
      params: shortHash(params),
      inputs: inputsPart,
      versions: shortHash(used),
    },
  };
}

/** The data version of a step's output: derived from the step's key, so no data is ever hashed for it. */
export function outputDataVersion(key: string, output: string): string {
  return sha256(`linea-data-version-1/${key}/${output}`);
}

export type { CacheKeyParts } from "../model/run-model.js";

/** The parts of {@link cacheKey}, each hashed. @throws TypeError as cacheKey does. */
export function cacheKeyParts(spec: StepSpec, inputs: readonly KeyInput[], versions: EngineVersions): CacheKeyParts {
  const part = (value: unknown): string => sha256(canonicalJson(value)).slice(0, 16);
  return {
    code: part([spec.name, spec.body.kind, bodyFingerprint(spec), spec.codeVersion ?? null, spec.outputs, spec.checks]),
    params: part(spec.params),
    inputs: Object.fromEntries([...inputs].sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : 0)).map((i) => [i.local, i.dataVersion])),
    versions: part(relevantVersions(spec, versions)),
  };
}
