// The shared store holds a distributed run's cache and checkpoints: a coordinator in another base folder
// (another machine, as far as linea can tell) with the same --store reuses what the first one computed.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeWithRedis, REDIS_URL } from "../helpers/services.js";
import { tempDir } from "../helpers/temp-dir.js";
import { coordinator } from "./coordinator.js";
import { release, writeFailurePipelines } from "./failure-pipeline.js";
import { startWorker, uniqueQueue } from "./workers.js";

describeWithRedis("a distributed run's shared store", () => {
  it("holds the cache and checkpoints: a coordinator in another base folder reuses the results", async () => {
    const store = join(tempDir("linea-shared-"), "store");
    mkdirSync(store);
    const queueName = uniqueQueue("shared");
    const flags = ["--queue", REDIS_URL as string, "--queue-name", queueName, "--store", store];
    const first = tempDir("linea-machine-a-");
    const second = tempDir("linea-machine-b-");
    const { failures } = writeFailurePipelines(first);
    const { failures: again } = writeFailurePipelines(second);
    release(first);
    release(second);
    const worker = startWorker(first, failures, REDIS_URL as string, store, ["--queue-name", queueName]);
    await worker.waitFor(/ready/);

    const one = await coordinator(first, ["run", failures, "--json", ...flags]).done;
    expect(one.code, one.out + one.err).toBe(0);
    const took = worker.log().match(/took /g)?.length;
    expect(took).toBe(3); // numbers, gate, doubled (save stays in the coordinator)
    expect(readdirSync(join(store, "checkpoints")).length).toBeGreaterThan(0);
    expect(readdirSync(join(store, "cache"))).toEqual(expect.arrayContaining(["keys", "objects"]));

    const two = await coordinator(second, ["run", again, "--json", ...flags]).done;
    expect(two.code, two.out + two.err).toBe(0);
    const result = JSON.parse(two.out) as { nodes: Record<string, { status: string }> };
    expect([result.nodes.numbers?.status, result.nodes.gate?.status, result.nodes.doubled?.status]).toEqual(["cached", "cached", "cached"]);
    expect(worker.log().match(/took /g)?.length).toBe(took); // nothing new went to the pool
    expect(readFileSync(join(second, "out/doubled.csv"), "utf8")).toBe(readFileSync(join(first, "out/doubled.csv"), "utf8"));
  }, 300_000);
});
