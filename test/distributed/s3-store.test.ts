// An s3:// store (s3rver, started by the test) holds a distributed run's cache and checkpoints as a shared
// folder does: a coordinator in another base folder (another machine, as far as linea can tell) reuses what
// the first one computed, and `linea resume` reads the run's checkpoint from S3.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { linea } from "../cli/cli-helpers.js";
import { describeWithRedis, REDIS_URL } from "../helpers/services.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import type { StoredObject } from "../../src/cache/object-store.js";
import { BlobCacheIndex } from "../../src/stores/blob-cache-index.js";
import { BlobCheckpointStore } from "../../src/stores/blob-checkpoint-store.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { objectKey } from "../../src/stores/shared-objects.js";
import { coordinator } from "./coordinator.js";
import { release, starts, waitForStart, writeFailurePipelines } from "./failure-pipeline.js";
import { startWorker, uniqueQueue } from "./workers.js";

const EXPECTED_CSV = `n2\n${Array.from({ length: 10 }, (_, n) => n * 2).join("\n")}\n`;

/** Waits until the store holds a checkpoint of some run with a record of `step` (at most a minute). */
async function checkpointHolds(store: string, step: string): Promise<void> {
  const checkpoints = new BlobCheckpointStore(openBlobStore(store));
  for (let waited = 0; waited < 60_000; waited += 100) {
    for (const run of await checkpoints.list()) {
      if ((await checkpoints.load(run.runId)).nodes.has(step)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no checkpoint record of ${step} in ${store} after a minute`);
}

async function s3Project(label: string) {
  const store = (await startS3Server()).address(label);
  const queueName = uniqueQueue(label);
  const flags = ["--queue", REDIS_URL as string, "--queue-name", queueName, "--store", store];
  return { store, queueName, flags };
}

describeWithRedis("a distributed run's s3:// store", () => {
  it("holds the cache: a coordinator in another base folder reuses the results, nothing cached locally", async () => {
    const { store, queueName, flags } = await s3Project("cache");
    const first = tempDir("linea-machine-a-");
    const second = tempDir("linea-machine-b-");
    const { failures } = writeFailurePipelines(first);
    const { failures: again } = writeFailurePipelines(second);
    // The worker in a folder of its own (its machine): what it stores and copies locally is not the coordinators'.
    const elsewhere = tempDir("linea-worker-");
    const { failures: its } = writeFailurePipelines(elsewhere);
    release(elsewhere);
    const worker = startWorker(elsewhere, its, REDIS_URL as string, store, ["--queue-name", queueName]);
    await worker.waitFor(/ready/);

    const one = await coordinator(first, ["run", failures, "--json", ...flags]).done;
    expect(one.code, one.out + one.err).toBe(0);
    expect(one.err).not.toMatch(/linea: warning/);
    const took = worker.log().match(/took /g)?.length;
    expect(took).toBe(3); // numbers, gate, doubled (save stays in the coordinator)
    const blobs = openBlobStore(store);
    try {
      expect((await blobs.list("cache/keys/")).length).toBeGreaterThan(0);
      expect((await blobs.list("checkpoints/")).some((key) => key.endsWith("/run.json"))).toBe(true);
      // numbers' cache entry points at the very object its worker stored: the coordinator, which never read
      // numbers, did not fetch it to store it again.
      const numbersKey = (JSON.parse(one.out) as { nodes: Record<string, { cacheKey: string }> }).nodes.numbers?.cacheKey as string;
      const entry = await new BlobCacheIndex(blobs).get(numbersKey);
      const data = entry?.outputs.numbers?.data;
      expect(data?.kind).toBe("object");
      const object = (data as { object: StoredObject }).object;
      expect(await blobs.has(objectKey(object))).toBe(true);
      expect(existsSync(join(first, ".linea/worker-cache", object.sha256.slice(0, 2), `${object.sha256}.${object.format}`))).toBe(false);
    } finally {
      await blobs.close();
    }
    expect(existsSync(join(first, ".linea/cache/keys"))).toBe(false);
    expect(existsSync(join(first, ".linea/checkpoints"))).toBe(false);

    const two = await coordinator(second, ["run", again, "--json", ...flags]).done;
    expect(two.code, two.out + two.err).toBe(0);
    const result = JSON.parse(two.out) as { nodes: Record<string, { status: string }> };
    expect([result.nodes.numbers?.status, result.nodes.gate?.status, result.nodes.doubled?.status]).toEqual(["cached", "cached", "cached"]);
    expect(worker.log().match(/took /g)?.length).toBe(took); // nothing new went to the pool
    expect(readFileSync(join(second, "out/doubled.csv"), "utf8")).toBe(EXPECTED_CSV);
  }, 300_000);

  it("holds the checkpoints: a coordinator killed mid-run is resumed from the checkpoint in S3", async () => {
    const { store, queueName, flags } = await s3Project("resume");
    const dir = tempDir("linea-dist-");
    const { failures } = writeFailurePipelines(dir);
    const worker = startWorker(dir, failures, REDIS_URL as string, store, ["--queue-name", queueName, "--lease-ms", "1500"]);
    await worker.waitFor(/ready/);
    const run = coordinator(dir, ["run", failures, ...flags]);
    await waitForStart(dir, "gate");
    // numbers has ended, but its checkpoint record may still be on its way to S3 (a step counts as
    // checkpointed only once its record is stored): the kill comes once it is, or resume runs numbers again.
    await checkpointHolds(store, "numbers");
    run.child.kill("SIGKILL");
    await run.done;
    const [last] = JSON.parse((await linea(dir, ["history", "--json"])).out) as Array<{ runId: string }>;
    const runId = last?.runId as string;
    expect(existsSync(join(dir, ".linea/checkpoints"))).toBe(false);
    // Without the store, linea looks for the checkpoint locally and does not find it.
    const local = await linea(dir, ["resume", runId]);
    expect(local.code).not.toBe(0);
    expect(local.err).toMatch(/No checkpoint for run .* resume it with the same --queue and --store\./);

    let released = false;
    const resumed = coordinator(dir, ["resume", runId, "--json", ...flags], (err) => {
      if (!released && /step "gate": waiting for job \S+\|1\|gate\|1 of the run's attempt 1/.test(err)) {
        released = true;
        release(dir);
      }
    });
    const done = await resumed.done;
    expect(done.code, done.out + done.err).toBe(0);
    expect(released).toBe(true);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string }> };
    // numbers' result came from the checkpoint in S3 (not run again), gate's job was adopted.
    expect(result.nodes.numbers?.status).not.toBe("success");
    expect(worker.log().match(/took run-[^|]+\|\d\|numbers\|/g)).toHaveLength(1);
    expect(worker.log().match(/took run-[^|]+\|\d\|gate\|/g)).toHaveLength(1);
    expect(starts(dir, "gate")).toHaveLength(1);
    expect(readFileSync(join(dir, "out/doubled.csv"), "utf8")).toBe(EXPECTED_CSV);
    expect(existsSync(join(dir, ".linea/checkpoints"))).toBe(false);
  }, 300_000);
});
