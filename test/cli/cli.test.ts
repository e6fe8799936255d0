import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectValidLineage } from "../helpers/lineage-validator.js";
import { ROOT } from "../helpers/temp-dir.js";
import { EXAMPLE, linea, project } from "./cli-helpers.js";

import { DURATION } from "../helpers/duration.js";

const FLAKY = `name: flaky
steps:
  - { name: numbers, outputs: [numbers], sql: "SELECT range AS n FROM range(5)" }
  - name: gate
    inputs: { x: numbers }
    outputs: [gated]
    sql: "SELECT n, CASE WHEN (SELECT count(*) FROM glob('FLAG')) > 0 THEN error('the upstream system is down') ELSE n END AS checked FROM x"
  - { name: total, inputs: { g: gated }, outputs: [total], sql: "SELECT sum(n) AS total FROM g" }
  - { name: save, inputs: [total], write: out/total.csv }
`;

function flaky(dir: string): string {
  const flag = join(dir, "fail.flag");
  writeFileSync(join(dir, "flaky.yaml"), FLAKY.replace("FLAG", flag));
  writeFileSync(flag, "");
  return flag;
}

describe("linea plan", () => {
  it("prints the plan, as text, JSON or Mermaid; nothing runs", async () => {
    const dir = project();
    const text = await linea(dir, ["plan", EXAMPLE]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^customer_pipeline: 11 steps in 6 layers \(plan batch-[0-9a-f]{16}\)\n  layer 0  read_customers, read_orders, read_products\n/);
    expect(JSON.parse((await linea(dir, ["plan", EXAMPLE, "--json"])).out).order).toHaveLength(11);
    expect((await linea(dir, ["plan", EXAMPLE, "--mermaid"])).out).toMatch(/^flowchart LR\n/);
    expect(existsSync(join(dir, ".linea"))).toBe(false);
  });
});

describe("linea run", () => {
  it("runs the example, prints progress and a summary, writes outputs and lineage, and reuses everything next time", async () => {
    const dir = project();
    const first = await linea(dir, ["run", EXAMPLE, "--lineage-out", "lineage-out"]);
    expect(first.code).toBe(0);
    expect(first.err).toContain("[11/11]");
    expect(first.err).toMatch(new RegExp(String.raw`\[ ?\d+\/11\] ✓ read_orders {2}3,000 rows {2}${DURATION}`));
    expect(first.out).toMatch(/^customer_pipeline: success in .* \(11 success\)\nstep +layer +status/);
    for (const file of ["enriched_orders.parquet", "customer_pipeline.json", "customer_pipeline.html", "customer_pipeline.openlineage.jsonl"]) {
      expect(existsSync(join(dir, "lineage-out", file)), file).toBe(true);
    }
    const second = await linea(dir, ["run", EXAMPLE, "--json"]);
    expect(second.code).toBe(0);
    const result = JSON.parse(second.out) as { status: string; counts: Record<string, number> };
    expect(result.counts).toMatchObject({ cached: 11, success: 0 });
    expect(second.err).toBe("");
  });

  it("exits 1 when the pipeline fails, and resume finishes it under the same run id", async () => {
    const dir = project();
    const flag = flaky(dir);
    const failed = await linea(dir, ["run", "flaky.yaml"]);
    expect(failed.code).toBe(1);
    const runId = /failed; after a fix: linea resume (\S+)/.exec(failed.out)?.[1] as string;
    expect(failed.err).toContain('✗ gate');
    expect(failed.err).toContain('Step "gate" failed: Invalid Input Error: the upstream system is down');
    writeFileSync(flag, "");
    const { rmSync } = await import("node:fs");
    rmSync(flag);
    const resumed = await linea(dir, ["resume", runId, "--json"]);
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.out) as { runId: string; runAttempt: number; nodes: Record<string, { status: string }> };
    expect(result.runId).toBe(runId);
    expect(result.runAttempt).toBe(2);
    expect(result.nodes.numbers?.status).toBe("cached");
    expect(readFileSync(join(dir, "out/total.csv"), "utf8")).toBe("total\n10\n");
    const history = await linea(dir, ["history", runId]);
    expect(history.out).toContain("attempt 1: failed");
    expect(history.out).toContain("attempt 2: success");
    expect(history.out).toContain("gate: Step \"gate\" failed: Invalid Input Error: the upstream system is down");
    const twice = await linea(dir, ["resume", runId, "--no-cache", "--max-workers", "2"]);
    expect(twice.code).toBe(0);
    expect(twice.out).toBe(`Nothing to resume in run "${runId}": it already succeeded (attempt 2).\n`);
  });

  it("takes the run flags", async () => {
    const dir = project();
    flaky(dir);
    const run = await linea(dir, ["run", "flaky.yaml", "--continue-on-error", "--max-retries", "1", "--max-workers", "1", "--no-cache", "--json"]);
    const result = JSON.parse(run.out) as { nodes: Record<string, { status: string; kind?: string; attempts: number }> };
    expect(run.code).toBe(1);
    expect(result.nodes.gate).toMatchObject({ status: "failed", attempts: 2 });
    expect(result.nodes.total).toMatchObject({ status: "skipped", kind: "blocked" });
  });

  it("on a terminal, redraws one live line (done, running, failed, elapsed) and prints failures on their own", async () => {
    const dir = project();
    writeFileSync(join(dir, "slow.yaml"), `name: slow
steps:
  - { name: wait, outputs: [w], sql: "SELECT count(*) AS c FROM range(400000000)" }
  - { name: broken, inputs: [w], outputs: [b], sql: "SELECT no_such_column FROM w" }
`);
    const run = await linea(dir, ["run", "slow.yaml"], { interactive: true });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(String.raw`\r\x1b\[K0\/2 done · 1 running \(wait\) · 0 failed · ${DURATION}`));
    expect(run.err).toMatch(new RegExp(String.raw`\r\x1b\[K\[2\/2\] ✗ broken {2}${DURATION} {2}Step "broken" failed: Binder Error: Referenced column "no_such_column" not found`));
    expect(run.err).not.toContain("✓ wait");
  });

  it("shows the plan and runs nothing on --dry-run", async () => {
    const dir = project();
    const dry = await linea(dir, ["run", EXAMPLE, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^customer_pipeline: dry run: 11 would run, 0 would be reused; nothing ran\n/);
    expect(existsSync(join(dir, "lineage-out/enriched_orders.parquet"))).toBe(false);
  });

  it("interrupts on Ctrl-C: exit 130, recorded as interrupted in the history and the checkpoint", async () => {
    const dir = project();
    writeFileSync(join(dir, "long.yaml"), `name: long
steps:
  - { name: quick, outputs: [quick], sql: "SELECT 1 AS one" }
  - { name: grind, inputs: [quick], outputs: [grind], sql: "SELECT count(*) AS c FROM range(30000000000)" }
  - { name: after, inputs: [grind], outputs: [after], sql: "SELECT c + 1 AS c FROM grind" }
`);
    const run = await linea(dir, ["run", "long.yaml"], { interrupt: 800 });
    expect(run.code).toBe(130);
    expect(run.err).toContain("linea: SIGINT: interrupting: no new steps start and running steps are aborted (again to exit at once).");
    expect(run.out).toMatch(/^long: interrupted in /);
    const runId = /finish it with: linea resume (\S+)/.exec(run.out)?.[1] as string;
    const history = JSON.parse((await linea(dir, ["history", "--json"])).out) as Array<{ runId: string; status: string; exitCode: number }>;
    expect(history[0]).toMatchObject({ runId, status: "interrupted", exitCode: 130 });
    const manifest = JSON.parse(readFileSync(join(dir, ".linea/checkpoints", runId, "run.json"), "utf8")) as { status: string };
    expect(manifest.status).toBe("interrupted");
  });
});

describe("linea history and lineage", () => {
  it("lists runs and exports a past run's lineage in every format", async () => {
    const dir = project();
    await linea(dir, ["run", EXAMPLE, "--quiet"]);
    const list = await linea(dir, ["history"]);
    expect(list.out).toMatch(/^run id +try +pipeline +status +started +time +steps\n/);
    const [row] = JSON.parse((await linea(dir, ["history", "--json"])).out) as Array<{ runId: string }>;
    const runId = row?.runId as string;
    const json = JSON.parse((await linea(dir, ["lineage", runId])).out) as { execution_id: string; steps: unknown[] };
    expectValidLineage(json);
    expect(json.execution_id).toBe(runId);
    expect(json.steps).toHaveLength(11);
    const events = (await linea(dir, ["lineage", runId, "--format", "openlineage"])).out.trim().split("\n").map((l) => JSON.parse(l) as { eventType: string });
    expect(events[0]?.eventType).toBe("START");
    expect(events.at(-1)?.eventType).toBe("COMPLETE");
    const html = await linea(dir, ["lineage", runId, "--format", "html", "--out", "report.html"]);
    expect(html.code).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toMatch(/^<!DOCTYPE html>/i);

    // A column's ancestry down to the source files, its impact, and both as JSON.
    const ancestry = await linea(dir, ["lineage", runId, "--column", "customer_revenue.items"]);
    expect(ancestry).toEqual({ code: 0, err: "", out: [
      "customer_revenue.items",
      "└─ enriched_orders.qty  (customer_revenue: AGGREGATION)",
      "   └─ valid_orders.qty  (enrich_orders: IDENTITY)",
      "      └─ raw_orders.qty  (valid_orders: IDENTITY)",
      "         └─ fixtures/orders.csv.qty  (read_orders: IDENTITY)",
      "",
    ].join("\n") });
    const impact = JSON.parse((await linea(dir, ["lineage", runId, "--column", "fixtures/orders.csv.qty", "--impact", "--json"])).out) as { children: Array<{ dataset: string; step: string }> };
    expect(impact.children.map((c) => [c.dataset, c.step])).toEqual([["raw_orders", "read_orders"]]);
    const unknown = await linea(dir, ["lineage", runId, "--column", "customer_revenue.itemz"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('Unknown column "customer_revenue.itemz": no step of the run produces or reads it. Did you mean "customer_revenue.items"?');
  });

  it("says when there is no history yet", async () => {
    const dir = project();
    expect((await linea(dir, ["history"])).out).toBe(`No runs recorded in ${join(dir, ".linea/history.duckdb")} yet.\n`);
  });
});

describe("help and version", () => {
  it("prints the version, the usage, and each command's help", async () => {
    const dir = project();
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await linea(dir, ["--version"])).toEqual({ code: 0, out: `${version}\n`, err: "" });
    const usage = await linea(dir, ["--help"]);
    expect(usage.code).toBe(0);
    expect(usage.out).toMatch(/^Usage: linea <command> \[options\]/);
    for (const command of ["plan", "run", "resume", "history", "lineage"]) {
      const help = await linea(dir, [command, "--help"]);
      expect([command, help.code, help.err]).toEqual([command, 0, ""]);
      expect(help.out).toMatch(new RegExp(`^Usage: linea ${command} `));
      expect(help.out).toContain("--history PATH");
      expect(help.out).toMatch(/-h, --help +this help\n$/);
      expect((await linea(dir, ["help", command])).out).toBe(help.out);
    }
    expect((await linea(dir, ["run", "-h"])).out).toContain("--max-workers N");
    expect((await linea(dir, ["history", "-h"])).out).not.toContain("--max-workers");
    // After `--`, --help is an argument, not a request for help.
    expect((await linea(dir, ["run", "--", "--help"])).code).toBe(2);
  });
});

describe("linea run --persist", () => {
  it("passes the policy's settings: a large quick output is kept at factor 0 and not at a huge one", async () => {
    const dir = project();
    writeFileSync(join(dir, "big.yaml"), [
      "name: big",
      "steps:",
      '  - { name: big, outputs: [big], sql: "SELECT range AS n FROM range(5000)" }',
      '  - { name: total, inputs: { b: big }, outputs: [total], sql: "SELECT sum(n) AS s FROM b" }',
    ].join("\n"));
    const kept = async (factor: string): Promise<string | undefined> => {
      const run = await linea(dir, ["run", "big.yaml", "--no-cache", "--persist-small-cells", "10", "--persist-recompute-factor", factor, "--json"]);
      expect(run.code).toBe(0);
      return (JSON.parse(run.out) as { persisted: Array<{ dataset: string; kept: string }> }).persisted.find((p) => p.dataset === "big")?.kept;
    };
    expect(await kept("0")).toBe("object");
    expect(await kept("1e12")).toBe("recompute");
  });
});

describe("exit codes and messages for bad input", () => {
  it("exits 2 with a message for bad usage, an invalid pipeline and an unknown run", async () => {
    const dir = project();
    const cases: Array<[string[], string]> = [
      [["frobnicate"], 'linea: Unknown command "frobnicate"; commands are plan, run, resume, history, lineage, worker, diff.\nRun `linea help` for usage.\n'],
      [["run"], "linea: linea run takes <pipeline>, got 0 arguments\nRun `linea help` for usage.\n"],
      [["run", EXAMPLE, "--max-workers", "0"], 'linea: --max-workers takes a whole number from 1 and up, got "0"\nRun `linea help` for usage.\n'],
      [["run", EXAMPLE, "--persist-recompute-factor=-1"], 'linea: --persist-recompute-factor takes a number from 0 and up, got "-1"\nRun `linea help` for usage.\n'],
      [["run", EXAMPLE, "--colour"], "linea: linea run: Unknown option '--colour'\nRun `linea help` for usage.\n"],
      [["run", "missing.yaml"], `linea: Invalid pipeline file ${join(dir, "missing.yaml")}:\n  file not found (looked for ${join(dir, "missing.yaml")})\n`],
      [["resume", "run-nope"], `linea: No checkpoint for run "run-nope" in ${join(dir, ".linea/checkpoints")}. Check the run id (\`linea history\` lists runs) and checkpointDir. A distributed run's checkpoint is in its shared store: resume it with the same --queue and --store.\n`],
      [["lineage", "run-nope", "--format", "xml"], 'linea: --format takes one of json, openlineage, html, got "xml"\nRun `linea help` for usage.\n'],
    ];
    for (const [argv, message] of cases) {
      const run = await linea(dir, argv);
      expect([argv.join(" "), run.code, run.err]).toEqual([argv.join(" "), 2, message]);
    }
  });

  it("suggests the command or option meant by a typo", async () => {
    const dir = project();
    const cases: Array<[string[], string]> = [
      [["rnu", "x.yaml"], 'linea: Unknown command "rnu" (did you mean "run"?); commands are plan, run, resume, history, lineage, worker, diff.\nRun `linea help` for usage.\n'],
      [["histroy"], 'linea: Unknown command "histroy" (did you mean "history"?); commands are plan, run, resume, history, lineage, worker, diff.\nRun `linea help` for usage.\n'],
      [["run", "x.yaml", "--max-worker", "2"], "linea: linea run: Unknown option '--max-worker' (did you mean '--max-workers'?)\nRun `linea help` for usage.\n"],
      [["lineage", "run-1", "--fromat", "html"], "linea: linea lineage: Unknown option '--fromat' (did you mean '--format'?)\nRun `linea help` for usage.\n"],
    ];
    for (const [argv, message] of cases) {
      const run = await linea(dir, argv);
      expect([argv.join(" "), run.code, run.err]).toEqual([argv.join(" "), 2, message]);
    }
  });

  it("reports errors as JSON with --json", async () => {
    const dir = project();
    const run = await linea(dir, ["run", "missing.yaml", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.out)).toMatchObject({ error: { code: "PIPELINE_FILE" } });
  });

  it("exits 2 for a pipeline whose plan is invalid", async () => {
    const dir = project();
    writeFileSync(join(dir, "bad.yaml"), "name: bad\nsteps:\n  - { name: a, inputs: [nowhere], outputs: [x], sql: 'SELECT 1' }\n");
    const run = await linea(dir, ["run", "bad.yaml"]);
    expect(run.code).toBe(2);
    expect(run.err).toBe('linea: Missing input "nowhere" of step "a": no step produces it and it is not a source. Add a step that outputs it, or pass it in execute({ sources }).\n');
  });
});
