// Unit tests of cache keys: what changes a key and what does not. Keys need only data versions, never data.
import { describe, expect, it } from "vitest";
import { cacheKey, outputDataVersion, type EngineVersions, type Step } from "../../src/index.js";
import { createHash } from "node:crypto";
import { cacheKeyAndParts, cacheKeyParts } from "../../src/cache/cache-key.js";
import { canonicalJson } from "../../src/cache/canonical-json.js";
import { normalizeStep } from "../../src/step/normalize-step.js";
import type { StepSpec } from "../../src/step/step-spec.js";

const VERSIONS: EngineVersions = { linea: "0.1.0", duckdb: "1.5.5", danfo: "1.2.0", arrow: "21.2.0" };
const INPUTS = [{ local: "o", dataVersion: "v1" }];

function key(step: Partial<Step> & Record<string, unknown>, inputs = INPUTS, versions = VERSIONS): string {
  const spec = normalizeStep({ name: "clean", inputs: { o: "orders" }, outputs: ["clean"], sql: "SELECT * FROM o", ...step } as Step, 0);
  return cacheKey(spec, inputs, versions);
}

describe("cacheKey", () => {
  it("is a sha256, the same for the same step, inputs and versions", () => {
    expect(key({})).toMatch(/^[0-9a-f]{64}$/);
    expect(key({})).toBe(key({}));
  });

  it("changes with the body, the params, the codeVersion, the outputs and the name", () => {
    const base = key({});
    expect(key({ sql: "SELECT 1 AS x FROM o" })).not.toBe(base);
    expect(key({ params: { limit: 3 } })).not.toBe(base);
    expect(key({ codeVersion: "2" })).not.toBe(base);
    expect(key({ outputs: ["other"] })).not.toBe(base);
    expect(key({ name: "clean2" })).not.toBe(base);
  });

  it("changes with an input's data version and with its local name, not with the order inputs are listed in", () => {
    const two = [{ local: "a", dataVersion: "1" }, { local: "b", dataVersion: "2" }];
    const step = { inputs: { a: "x", b: "y" }, sql: "SELECT * FROM a, b" };
    expect(key(step, two)).toBe(key(step, [...two].reverse()));
    expect(key(step, [{ local: "a", dataVersion: "1" }, { local: "b", dataVersion: "3" }])).not.toBe(key(step, two));
    expect(key({}, [{ local: "src", dataVersion: "v1" }])).not.toBe(key({}));
  });

  it("ignores the order of params' keys (canonical JSON)", () => {
    expect(key({ params: { a: 1, b: { c: 2, d: 3 } } })).toBe(key({ params: { b: { d: 3, c: 2 }, a: 1 } }));
  });

  it("changes with linea's and DuckDB's versions, and with danfo's only for danfo steps", () => {
    const base = key({});
    expect(key({}, INPUTS, { ...VERSIONS, linea: "0.2.0" })).not.toBe(base);
    expect(key({}, INPUTS, { ...VERSIONS, duckdb: "1.6.0" })).not.toBe(base);
    expect(key({}, INPUTS, { ...VERSIONS, danfo: "9" })).toBe(base);
    const danfo = { sql: undefined, engine: "danfo", run: (i: { o: unknown }) => i.o } as never;
    expect(key(danfo, INPUTS, { ...VERSIONS, danfo: "9" })).not.toBe(key(danfo));
  });

  it("refuses params that cannot be encoded canonically", () => {
    expect(() => key({ params: { fn: () => 1 } as never })).toThrow(TypeError);
  });
});

/** The key as linea computed it before keys were assembled from encoded pieces: caches stored then stay valid. */
function referenceKey(spec: StepSpec, inputs: ReadonlyArray<{ local: string; dataVersion: string }>, versions: EngineVersions): string {
  const body = spec.body;
  const fingerprint = body.kind === "sql" ? { sql: spec.codeVersion ?? body.sql }
    : body.kind === "run" ? { code: spec.codeVersion ?? body.fn.toString(), engine: body.engine }
      : { path: body.path, format: body.format, options: body.options, code: spec.codeVersion ?? null };
  const used: Record<string, string> = { linea: versions.linea };
  if (versions.duckdb !== undefined) used.duckdb = versions.duckdb;
  const engine = body.kind === "run" ? body.engine : undefined;
  if (engine !== undefined && versions[engine] !== undefined) used[engine] = versions[engine] as string;
  const encoded = canonicalJson([
    "linea-cache-key-2", spec.name, body.kind, fingerprint, spec.codeVersion ?? null, spec.params, spec.outputs, spec.checks, used,
    [...inputs].sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : 0)).map((i) => [i.local, i.dataVersion]),
  ]);
  return createHash("sha256").update(encoded).digest("hex");
}

describe("cacheKeyAndParts", () => {
  it("gives the keys and parts linea gave before, for every kind of body", () => {
    const fn = ((i: { o: unknown }) => i.o) as never;
    const steps: Array<Partial<Step> & Record<string, unknown>> = [
      {},
      { params: { b: [1, { z: null, a: "x" }], a: 2 }, codeVersion: "7" },
      { sql: undefined, run: fn },
      { sql: undefined, run: fn, engine: "danfo" },
      { sql: undefined, run: fn, codeVersion: "v3" },
      { sql: undefined, inputs: {}, read: "data/orders.csv" },
      { sql: undefined, outputs: [], write: "out/x.parquet" },
      { checks: [{ name: "ids", kind: "unique", column: "id" }] as never },
    ];
    for (const step of steps) {
      const spec = normalizeStep({ name: "clean", inputs: { o: "orders" }, outputs: ["clean"], sql: "SELECT * FROM o", ...step } as Step, 0);
      for (const inputs of [INPUTS, [{ local: "b", dataVersion: "2" }, { local: "a", dataVersion: "1" }], []]) {
        const { key: computed, parts } = cacheKeyAndParts(spec, inputs, VERSIONS);
        expect(computed, JSON.stringify(step)).toBe(referenceKey(spec, inputs, VERSIONS));
        expect(parts).toEqual(cacheKeyParts(spec, inputs, VERSIONS));
        // Twice: the function's source, encoded once, gives the same key again.
        expect(cacheKeyAndParts(spec, inputs, VERSIONS).key).toBe(computed);
      }
    }
  });
});

describe("outputDataVersion", () => {
  it("is derived from the key and the output's name only", () => {
    const k = key({});
    expect(outputDataVersion(k, "clean")).toMatch(/^[0-9a-f]{64}$/);
    expect(outputDataVersion(k, "clean")).toBe(outputDataVersion(k, "clean"));
    expect(outputDataVersion(k, "other")).not.toBe(outputDataVersion(k, "clean"));
    expect(outputDataVersion(key({ params: { x: 1 } }), "clean")).not.toBe(outputDataVersion(k, "clean"));
  });
});
