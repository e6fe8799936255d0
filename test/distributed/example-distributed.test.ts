import { join } from "node:path";
import { expect, it } from "vitest";
import { linea, project, EXAMPLE } from "../cli/cli-helpers.js";
import { queryDuckDB } from "../helpers/query-duckdb.js";
import { describeWithRedis, REDIS_URL } from "../helpers/services.js";
import { coordinator } from "./coordinator.js";
import { startWorker, uniqueQueue } from "./workers.js";

/** A lineage document without what differs between any two runs (ids, times, durations). */
function stable(lineage: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(lineage, (key, value: unknown) =>
    /^(execution_id|batch_run_id|start_time|end_time|total_duration_ms|duration_ms|run_id|base_dir)$/.test(key) ? undefined : value));
}

async function rowsOf(file: string): Promise<unknown> {
  const reader = file.endsWith(".csv") ? "read_csv_auto" : "read_parquet";
  return queryDuckDB(`SELECT * FROM ${reader}('${file}') ORDER BY ALL`);
}

describeWithRedis("the example pipeline on a worker pool", () => {
  it("through a coordinator and two worker processes gives the same outputs, lineage and history as a local run", async () => {
    const queue = REDIS_URL as string;
    const queueName = uniqueQueue("example");
    const localDir = project();
    const remoteDir = project();
    const store = join(remoteDir, "shared-store");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(store);
    const workers = [startWorker(remoteDir, EXAMPLE, queue, store, ["--concurrency", "2", "--queue-name", queueName]), startWorker(remoteDir, EXAMPLE, queue, store, ["--queue-name", queueName])];
    await Promise.all(workers.map((w) => w.waitFor(/ready/)));

    // The local run in a child process too: both load the pipeline the same way (so their code hashes match).
    const local = await coordinator(localDir, ["run", EXAMPLE, "--json", "--lineage-out", "lineage-out"]).done;
    expect(local.code, local.out + local.err).toBe(0);
    const remote = await coordinator(remoteDir, ["run", EXAMPLE, "--json", "--lineage-out", "lineage-out", "--queue", queue, "--queue-name", queueName, "--store", store]).done;
    expect(remote.code, remote.out + remote.err).toBe(0);

    // Both workers took steps, and every step ran on the pool (the example has no local placements).
    const took = workers.map((w) => (w.log().match(/^linea worker: took /gm) ?? []).length);
    expect(took.reduce((a, b) => a + b, 0)).toBe(11);

    for (const file of ["enriched_orders.parquet", "customer_revenue.parquet", "category_share.csv"]) {
      expect(await rowsOf(join(remoteDir, "lineage-out", file))).toEqual(await rowsOf(join(localDir, "lineage-out", file)));
    }
    const { readFileSync } = await import("node:fs");
    const lineage = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, "lineage-out", "customer_pipeline.json"), "utf8")) as Record<string, unknown>;
    expect(stable(lineage(remoteDir))).toEqual(stable(lineage(localDir)));

    const history = async (dir: string): Promise<unknown> => {
      const [run] = JSON.parse((await linea(dir, ["history", "--json"])).out) as Array<{ runId: string }>;
      const detail = JSON.parse((await linea(dir, ["history", run?.runId ?? "", "--json"])).out) as { attempts: Array<{ nodes: Array<Record<string, unknown>> }> };
      return detail.attempts[0]?.nodes.map((n) => [n.stepName, n.status, n.rowCount, n.outputRows, n.attempts]);
    };
    expect(await history(remoteDir)).toEqual(await history(localDir));
  }, 600_000);
});
