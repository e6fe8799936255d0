// The shape of src/: no import circles (type-only imports included), and imports that point down the
// layers. Parses every module's import and export-from statements; no tool beyond node:fs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/temp-dir.js";

const SRC = resolve(ROOT, "src");

/**
 * The layers of src/, bottom first: a module may import its own folder and any folder of a lower layer.
 * Data, step and plan are at the bottom (with the shared run model), the orchestrator and CLI at the top.
 * Column lineage's vocabulary is below the steps that declare it; the data forms are below the steps that
 * name them; each engine adds its own form and step-context member to those types (a TypeScript module
 * augmentation in src/engines/duckdb), so neither data nor steps import an engine.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["util", "errors"],
  ["lineage"],
  ["data"],
  ["step"],
  ["plan", "sandbox"],
  ["model"],
  ["engines"],
  ["cache", "checkpoint", "events"],
  ["track", "execute", "stores"],
  ["history"],
  ["pipeline-file", "orchestrator"],
  ["distributed"],
  ["cli"],
  ["index.ts"],
];

/** Imports that still point up, and the circles they close: the lists may only shrink (anything new fails the test). */
const KNOWN_UPWARD: readonly string[] = [];
const KNOWN_CIRCLES: readonly string[] = [];

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import and re-export of src/, by module path relative to src/. */
export function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of modules(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;"']*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm)) {
      const target = resolve(dirname(file), (match[2] as string).replace(/\.js$/, ".ts"));
      edges.push({ from: relative(SRC, file), to: relative(SRC, target), typeOnly: match[1] !== undefined });
    }
  }
  return edges;
}

/** Every import circle, as the modules along it. */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.from) ?? next.set(e.from, []).get(e.from))?.push(e.to);
  const state = new Map<string, "open" | "done">();
  const found: string[][] = [];
  const visit = (node: string, path: string[]): void => {
    state.set(node, "open");
    path.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === "open") found.push([...path.slice(path.indexOf(to)), to]);
      else if (state.get(to) === undefined) visit(to, path);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of [...next.keys()].sort()) if (state.get(node) === undefined) visit(node, []);
  return found;
}

const layerOf = (module: string): number => LAYERS.findIndex((layer) => layer.includes(module.split("/")[0] as string));

describe("the module graph of src/", () => {
  const edges = importEdges();

  it("is read from the sources (a sanity check of the parser)", () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: "index.ts", to: "orchestrator/orchestrator.ts", typeOnly: false });
    expect(edges.some((e) => e.typeOnly)).toBe(true);
  });

  it("puts every folder of src/ in a layer", () => {
    const unplaced = [...new Set(edges.flatMap((e) => [e.from, e.to]).filter((m) => layerOf(m) < 0))];
    expect(unplaced).toEqual([]);
  });

  it("has no import circles (type-only imports included) but the known ones", () => {
    expect(cycles(edges).map((c) => c.join(" > ")).filter((c) => !KNOWN_CIRCLES.includes(c))).toEqual([]);
  });

  it("has imports that point down the layers (or within a folder), but the known ones", () => {
    const upward = edges
      .filter((e) => e.from.split("/")[0] !== e.to.split("/")[0] && layerOf(e.to) > layerOf(e.from))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward.filter((u) => !KNOWN_UPWARD.includes(u))).toEqual([]);
  });

  it("finds a circle and an upward import when there is one", () => {
    expect(cycles([{ from: "a.ts", to: "b.ts", typeOnly: true }, { from: "b.ts", to: "a.ts", typeOnly: false }])).toEqual([["a.ts", "b.ts", "a.ts"]]);
    expect(layerOf("cli/main.ts")).toBeGreaterThan(layerOf("step/step.ts"));
  });
});
