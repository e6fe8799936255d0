// An orchestrator's engines: which engine runs each body kind, each engine's version for cache keys, and
// each engine opened once, on first use, again after a failed open, and closed together.
import { describe, expect, it } from "vitest";
import type { Engine, EngineInstance, FormAdapter } from "../../src/index.js";
import { Engines } from "../../src/engines/engines.js";
import { rowsForm } from "../../src/data/forms/rows-form.js";

/** An engine holding its data as rows under another name (its form adapter is rows' own, renamed). */
function fake(name: string, extra: Partial<Engine> = {}): Engine {
  return { name, form: { ...rowsForm, form: name } as FormAdapter<string, unknown>, bodies: {}, version: () => `${name}-1`, ...extra };
}

describe("Engines", () => {
  it("runs each body kind on DuckDB, unless an orchestrator's own engine implements it", () => {
    expect(new Engines().forBody("sql")?.name).toBe("duckdb");
    expect(new Engines().forChecks("rows")?.name).toBe("duckdb");
    const sql = fake("fakesql", { bodies: { sql: async () => [] } });
    const checks = fake("fakechecks", { bodies: { checks: async () => [] } });
    const engines = new Engines({ engines: [sql, checks] });
    expect(engines.forBody("sql")).toBe(sql);
    expect(engines.forBody("read")?.name).toBe("duckdb");
    // Data is checked by its own engine when that engine checks, else by the last engine that does.
    expect(engines.forChecks("fakechecks")).toBe(checks);
    expect(engines.forChecks("duckdb")?.name).toBe("duckdb");
    expect(engines.forChecks("rows")).toBe(checks);
    expect(engines.named("fakesql")).toBe(sql);
  });

  it("gives each engine's version by name, for cache keys (rows has none)", () => {
    const versions = new Engines({ engines: [fake("fakev")] }).versions();
    expect(versions).toMatchObject({ fakev: "fakev-1", duckdb: expect.any(String), arrow: expect.any(String) });
    expect(versions).not.toHaveProperty("rows");
  });

  it("opens an engine once, on first use; again after a failed open; and closes what it opened", async () => {
    let opens = 0;
    let closes = 0;
    let fail = true;
    const instance: EngineInstance = { openRun: async () => ({ value: "session", dispose: async () => undefined }), close: () => void closes++ };
    const engine = fake("fakeopen", {
      open: async (host) => {
        opens++;
        expect(host.options).toBe("given options");
        if (fail) throw new Error("cannot open");
        return instance;
      },
    });
    const engines = new Engines({ engines: [engine], host: () => ({ options: "given options", access: undefined }) });
    await expect(engines.instance("fakeopen")).rejects.toThrow("cannot open");
    fail = false;
    const [a, b] = await Promise.all([engines.instance("fakeopen"), engines.instance("fakeopen")]);
    expect(a).toBe(instance);
    expect(b).toBe(instance);
    expect(opens).toBe(2);
    expect(await engines.instance("rows")).toBeUndefined();
    await expect(engines.instance("nosuch")).rejects.toThrow('no engine named "nosuch" is registered');
    await engines.close();
    expect(closes).toBe(1);
  });
});
