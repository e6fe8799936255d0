import { describe, expect, it } from "vitest";
import { jsonSafePieces, jsonSafeStringify } from "../../src/history/json-safe-stringify.js";
import { toJsonSafe } from "../../src/util/json-safe.js";

describe("jsonSafeStringify", () => {
  it("writes what JSON.stringify(toJsonSafe(value)) writes", () => {
    const values: unknown[] = [
      { a: 1, b: "x", c: undefined, d: null, e: [1, undefined, NaN], f: { g: Infinity, h: -Infinity } },
      { big: 2n ** 70n, small: 7n, at: new Date("2026-01-02T03:04:05Z"), bad: new Date(Number.NaN), bytes: new Uint8Array([1, 2, 255]) },
      { map: new Map<unknown, unknown>([["k", 1n], [2, { x: undefined }]]), set: new Set([1, "two", 3n]), fn: () => 1, sym: Symbol("s") },
      Object.freeze({ nested: [{ deep: [[undefined, 1.5, -0]] }], empty: {}, list: [] }),
      undefined, null, 42, "text", 10n, NaN, [undefined],
      // JSON-safe already (written by plain JSON.stringify), and nearly so.
      { steps: [{ name: "a", at: new Date("2026-01-02T03:04:05Z"), bad: new Date(Number.NaN), rows: [1, -0, 2.5], tags: ["x"], none: null }] },
      { deep: { deeper: { list: [[1], [2, { ok: true }]] } }, late: { x: 1, y: undefined } },
      { instance: new (class Point { x = 1; y = 2; })() },
      [1, [2, [3, undefined]]],
      // Undefined properties of its own only (an event's layer), and also a value of another kind.
      { stepName: "s", layer: undefined, outputs: { d: 1 }, list: [1, "x"], at: new Date("2026-01-02T03:04:05Z") },
      { layer: undefined, big: 1n },
      { layer: undefined, nested: { gone: undefined } },
      JSON.parse('{"__proto__":{"a":1},"layer":null}'),
      Object.assign(Object.create(null) as object, { layer: undefined, x: 1 }),
    ];
    for (const value of values) expect(jsonSafeStringify(value)).toBe(JSON.stringify(toJsonSafe(value)));
  });
});

describe("jsonSafePieces", () => {
  it("writes in pieces exactly what jsonSafeStringify writes", () => {
    const long = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`s${i}`, { n: i, at: new Date(i), gone: undefined, big: BigInt(i) }]));
    const values: unknown[] = [
      { a: 1, b: "x", c: undefined, d: null, e: [1, undefined, NaN], f: { g: Infinity, h: -Infinity } },
      { map: new Map<unknown, unknown>([["k", 1n]]), set: new Set([1, "two", 3n]), fn: () => 1, sym: Symbol("s"), bytes: new Uint8Array([1]) },
      { record: { summary: { id: "r" }, nodes: Array.from({ length: 600 }, (_, i) => ({ i, none: undefined })), snapshot: { outcomes: long, empty: {}, list: [] } } },
      { instance: new (class Point { x = 1; y = 2; })(), withJson: { toJSON: () => "j" } },
      [], {}, undefined, null, 42, "text", 10n, [undefined, [[]]],
      // Longer than a batch, integer-like keys among them (listed first), and a "__proto__" key.
      { deps: JSON.parse(`{${Array.from({ length: 600 }, (_, i) => `"${i % 7 === 0 ? i : `s${i}`}":${i % 5 === 0 ? "null" : `[${i}]`}`).join(",")},"__proto__":[1]}`) as object },
      { deps: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`s${i}`, i % 3 === 0 ? undefined : i % 3 === 1 ? BigInt(i) : [new Date(i)]])) },
    ];
    for (const value of values) {
      for (const depth of [0, 1, 2, 3, 4]) {
        const pieces = [...jsonSafePieces(value, depth)];
        expect(pieces.join("")).toBe(jsonSafeStringify(value));
        // A long list is written in parts: its entries, or (at the last level split) a few hundred at a time.
        if (depth >= 3 && value !== null && typeof value === "object" && "record" in value) expect(pieces.length).toBeGreaterThan(depth === 3 ? 5 : 600);
      }
    }
  });
});
