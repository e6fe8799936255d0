// The Engine contract: every registered engine hands a `run` step its inputs in its own form and gives back
// what the step returned, unchanged, to any other form; and a new engine, written here (a toy one holding
// tables as columns in memory, with its own data checks), is registered and used by real pipelines through
// the Orchestrator, with no change to the scheduler or the orchestrator.
import { Float64, Utf8, type DataType } from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  registerEngine, registeredEngines, StepDefinitionError, defineStep,
  type CheckMeasure, type ColumnBatch, type DatasetHandle, type Engine, type EngineInstance, type FormAdapter, type Row, type Step,
} from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** The toy engine's data: a table as named columns of JS values. */
class ToyTable {
  constructor(readonly columns: Readonly<Record<string, readonly unknown[]>>) {}

  get rowCount(): number {
    return Object.values(this.columns)[0]?.length ?? 0;
  }

  rows(): Row[] {
    const names = Object.keys(this.columns);
    return Array.from({ length: this.rowCount }, (_, r) => Object.fromEntries(names.map((n) => [n, this.columns[n]?.[r] ?? null])));
  }
}

const typeOf = (values: readonly unknown[]): DataType => (values.some((v) => typeof v === "number") ? new Float64() : new Utf8());

/** The toy form: one adapter per name (a name holds one form for the process). */
const forms = new Map<string, FormAdapter<string, unknown>>();
function toyForm(name: string): FormAdapter<string, unknown> {
  const toBatch = (t: ToyTable): ColumnBatch => {
    const names = Object.keys(t.columns);
    const columns = names.map((n) => t.columns[n] ?? []);
    return { names, types: columns.map(typeOf), columns, rowCount: t.rowCount };
  };
  const adapter: FormAdapter<string, ToyTable> = {
    form: name,
    matches: (value): value is ToyTable => value instanceof ToyTable,
    schema: async (t) => Object.entries(t.columns).map(([n, values]) => ({ name: n, type: typeOf(values) instanceof Float64 ? "DOUBLE" : "VARCHAR" })),
    rowCount: async (t) => t.rowCount,
    knownRowCount: (t) => t.rowCount,
    sample: async (t, n) => t.rows().slice(0, n),
    toBatch: async (t) => toBatch(t),
    fromBatch: async (batch) =>
      new ToyTable(Object.fromEntries(batch.names.map((n, i) => [n, (batch.columns[i] ?? []).map((v) => (typeof v === "bigint" ? Number(v) : v))]))),
    handOut: (t) => new ToyTable(Object.fromEntries(Object.entries(t.columns).map(([n, v]) => [n, [...v]]))),
  };
  const known = forms.get(name) ?? (adapter as FormAdapter<string, unknown>);
  forms.set(name, known);
  return known;
}

/** What a toy engine did: sessions opened and disposed, instances closed, checks it measured. */
interface ToyLog {
  opened: number;
  disposed: number;
  closed: number;
  checked: string[];
}

/** A toy engine: `run` steps over ToyTables, `not_null` and `row_count` checks measured on its own data. */
function toyEngine(name: string, version: string, log: ToyLog): Engine {
  const instance: EngineInstance = {
    openRun: async () => {
      log.opened++;
      return { value: { engine: name }, dispose: async () => void log.disposed++ };
    },
    close: () => void log.closed++,
  };
  return {
    name,
    form: toyForm(name),
    version: () => version,
    open: async () => instance,
    bodies: {
      checks: async (table: DatasetHandle, checks, runtime): Promise<CheckMeasure[]> => {
        expect(await runtime.session(name)).toEqual({ engine: name });
        const t = (await table.valueIn(name as never)) as unknown as ToyTable;
        return checks.map((check) => {
          log.checked.push(check.kind);
          if (check.kind === "not_null") return { failing: (t.columns[check.column] ?? []).filter((v) => v === null).length, total: t.rowCount };
          if (check.kind === "row_count") return { failing: 0, total: t.rowCount };
          return { error: new Error(`the toy engine does not measure ${check.kind} checks`) };
        });
      },
    },
  };
}

const newLog = (): ToyLog => ({ opened: 0, disposed: 0, closed: 0, checked: [] });

const orders: Row[] = [
  { id: 1, item: "pen", qty: 2 },
  { id: 2, item: "ink", qty: 3 },
  { id: 3, item: "pad", qty: 1 },
];

/** rows -> toy (double qty) -> DuckDB SQL (filter) -> toy (label) -> checks on the toy output. */
function toyPipeline(engine: string): Step[] {
  return [
    {
      name: "double", engine, inputs: { o: "orders" }, outputs: ["doubled"],
      run: ({ o }: { o: ToyTable }) => {
        expect(o).toBeInstanceOf(ToyTable);
        return new ToyTable({ ...o.columns, qty: (o.columns.qty ?? []).map((q) => (q as number) * 2) });
      },
    } as unknown as Step,
    { name: "big", inputs: { d: "doubled" }, sql: "SELECT id, item, qty FROM d WHERE qty > 2 ORDER BY id", outputs: ["big"] },
    {
      name: "label", engine, inputs: { b: "big" }, outputs: ["labelled"],
      run: ({ b }: { b: ToyTable }) => new ToyTable({ ...b.columns, label: (b.columns.item ?? []).map((i) => `#${String(i)}`) }),
      checks: [{ kind: "not_null", column: "label" }, { kind: "row_count", min: 1 }],
    } as unknown as Step,
  ];
}

describe("the Engine contract", () => {
  for (const engine of registeredEngines()) {
    it(`${engine.name}: a run step gets its inputs in the engine's form, and what it returns reads back the same`, async () => {
      const steps = [{ name: "pass", engine: engine.name, inputs: { x: "src" }, outputs: ["out"], run: (({ x }: { x: unknown }) => {
        expect(engine.form.matches(x)).toBe(true);
        return x;
      }) as never } as Step];
      const result = await testOrchestrator({ steps }).execute({ sources: { src: orders } });
      expect(result.nodes.pass?.error).toBeUndefined();
      const out = result.dataMap.get("out") as DatasetHandle;
      expect(out.form).toBe(engine.name);
      expect(await out.toRows()).toEqual(orders);
      expect(await out.rowCount()).toBe(3);
      expect(engine.version() === undefined || typeof engine.version() === "string").toBe(true);
    });
  }
});

describe("a new engine", () => {
  it("given in the options, runs its steps in a pipeline, converts to and from DuckDB, checks its own data, and opens and closes with the run", async () => {
    const log = newLog();
    const toy = toyEngine("toy", "1.0.0", log);
    const orchestrator = testOrchestrator({ steps: toyPipeline("toy"), engines: [toy] });
    const result = await orchestrator.execute({ sources: { orders } });
    expect(result.status, String(Object.values(result.nodes).find((n) => n.error)?.error)).toBe("success");
    const labelled = result.dataMap.get("labelled") as DatasetHandle;
    expect(labelled.form).toBe("toy");
    expect(await labelled.toRows()).toEqual([
      { id: 1, item: "pen", qty: 4, label: "#pen" },
      { id: 2, item: "ink", qty: 6, label: "#ink" },
    ]);
    expect(result.nodes.label?.checks?.map((c) => [c.name, c.status, c.totalRows])).toEqual([["not_null(label)", "pass", 2], ["row_count(min=1)", "pass", 2]]);
    expect(log.checked).toEqual(["not_null", "row_count"]);
    expect(log).toMatchObject({ opened: 1, disposed: 0 });
    await result.dispose();
    expect(log.disposed).toBe(1);
    await orchestrator.close();
    expect(log.closed).toBe(1);
  });

  it("fails a step whose check it measures as failing, with the check's result", async () => {
    const toy = toyEngine("toy", "1.0.0", newLog());
    const steps = [{
      name: "gaps", engine: "toy", outputs: ["gaps"], run: () => new ToyTable({ id: [1, 2], name: ["a", null] }),
      checks: [{ kind: "not_null", column: "name" }],
    } as unknown as Step];
    const result = await testOrchestrator({ steps, engines: [toy] }).execute();
    expect(result.status).toBe("failed");
    expect(result.nodes.gaps?.error?.message).toContain("not_null(name)");
    expect(result.nodes.gaps?.checks?.[0]).toMatchObject({ status: "fail", failingRows: 1, totalRows: 2 });
  });

  it("is part of its steps' cache keys: a new version of the engine runs them again", async () => {
    const cacheDir = tempDir();
    const run = async (version: string) =>
      testOrchestrator({ steps: toyPipeline("toy"), engines: [toyEngine("toy", version, newLog())], cache: true, cacheDir, baseDir: cacheDir })
        .execute({ sources: { orders } });
    const first = await run("1.0.0");
    expect(first.status).toBe("success");
    const again = await run("1.0.0");
    expect(Object.values(again.nodes).map((n) => n.status)).toEqual(["cached", "cached", "cached"]);
    const upgraded = await run("2.0.0");
    expect(upgraded.nodes.double?.status).toBe("success");
    expect(await (upgraded.dataMap.get("labelled") as DatasetHandle).toRows()).toHaveLength(2);
  });

  it("registered for the process: steps may name it from then on (before, the name is refused)", async () => {
    const step = { name: "double", engine: "toyg", inputs: { o: "orders" }, outputs: ["doubled"], run: ({ o }: { o: ToyTable }) => o } as unknown as Step;
    expect(() => defineStep(step as never)).toThrow(StepDefinitionError);
    expect(() => defineStep(step as never)).toThrow(/`engine` must be one of duckdb, arrow, danfo, rows.*got "toyg"/);
    const unregister = registerEngine(toyEngine("toyg", "1.0.0", newLog()));
    try {
      expect(registeredEngines().map((e) => e.name)).toContain("toyg");
      const result = await testOrchestrator({ steps: toyPipeline("toyg") }).execute({ sources: { orders } });
      expect(result.status).toBe("success");
      expect((result.dataMap.get("doubled") as DatasetHandle).form).toBe("toyg");
    } finally {
      unregister();
    }
    // Unregistered, it is gone again (test files share linea's modules: nothing may stay behind).
    expect(registeredEngines().map((e) => e.name)).not.toContain("toyg");
    expect(() => defineStep(step as never)).toThrow(/got "toyg"/);
  });

  it("given in one orchestrator's options, is that orchestrator's only", () => {
    const step = { name: "double", engine: "toy", inputs: { o: "orders" }, outputs: ["doubled"], run: ({ o }: { o: ToyTable }) => o } as unknown as Step;
    expect(() => testOrchestrator({ steps: [step], engines: [toyEngine("toy", "1.0.0", newLog())] })).not.toThrow();
    expect(() => testOrchestrator({ steps: [step] })).toThrow(/`engine` must be one of duckdb, arrow, danfo, rows, got "toy"/);
    expect(registeredEngines().map((e) => e.name)).toEqual(["duckdb", "arrow", "danfo", "rows"]);
  });

  it("is refused when malformed or when another engine holds its name", () => {
    const log = newLog();
    expect(() => registerEngine({ ...toyEngine("bad name", "1", log) })).toThrow(/an engine's name is letters, digits/);
    expect(() => registerEngine({ ...toyEngine("toyh", "1", log), form: toyForm("other") })).toThrow(/must hold its data in the form of its own name/);
    expect(() => registerEngine({ ...toyEngine("duckdb", "1", log) })).toThrow(/form "duckdb" is already registered by another engine/);
  });
});
