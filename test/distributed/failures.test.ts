// Failure semantics of distributed runs, with real processes: workers and coordinators are child processes
// (`linea worker`, `linea run|resume`) on the test Redis, each test on a queue of its own. Kill points are
// deterministic: a step writes a "started" file, the test waits for it, then kills.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linea } from "../cli/cli-helpers.js";
import { describeWithRedis, REDIS_URL } from "../helpers/services.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { coordinator } from "./coordinator.js";
import { release, starts, waitForStart, writeFailurePipelines } from "./failure-pipeline.js";
import { startWorker, uniqueQueue } from "./workers.js";

const EXPECTED_CSV = `n2\n${Array.from({ length: 10 }, (_, n) => n * 2).join("\n")}\n`;
// A short lease, so that a killed worker's job goes to another worker within seconds.
const LEASE = ["--lease-ms", "1500"];

function project() {
  const dir = tempDir("linea-dist-");
  const paths = writeFailurePipelines(dir);
  const queueName = uniqueQueue("failures");
  const store = join(dir, "store");
  const flags = ["--queue", REDIS_URL as string, "--queue-name", queueName, "--store", store];
  const worker = (pipeline: string, extra: string[] = []) => startWorker(dir, pipeline, REDIS_URL as string, store, ["--queue-name", queueName, ...LEASE, ...extra]);
  return { dir, ...paths, flags, worker };
}

async function runIdOf(dir: string): Promise<string> {
  const [run] = JSON.parse((await linea(dir, ["history", "--json"])).out) as Array<{ runId: string }>;
  if (run === undefined) throw new Error("no run in the history");
  return run.runId;
}

describeWithRedis("distributed runs when something fails", () => {
  it("a worker killed mid-step: its lease expires, another worker runs the attempt, the run succeeds with the same outputs", async () => {
    const p = project();
    const first = p.worker(p.failures);
    await first.waitFor(/ready/);
    const run = coordinator(p.dir, ["run", p.failures, "--json", ...p.flags]);
    const started = await waitForStart(p.dir, "gate");
    expect(started.pid).toBe(first.process.pid);
    first.process.kill("SIGKILL");
    await first.exited;
    const second = p.worker(p.failures);
    await second.waitFor(/ready/);
    release(p.dir);
    const done = await run.done;
    expect(done.code, done.out + done.err).toBe(0);
    expect(second.log()).toMatch(/took run-[^|]+\|1\|gate\|1/); // the same attempt (try 1), not a linea retry
    expect(starts(p.dir, "gate").map((f) => Number(f.split(".")[2]))).toEqual(expect.arrayContaining([first.process.pid, second.process.pid]));
    expect(readFileSync(join(p.dir, "out/doubled.csv"), "utf8")).toBe(EXPECTED_CSV);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string; attempts: number }> };
    expect(result.nodes.gate).toMatchObject({ status: "success", attempts: 1 });
  }, 300_000);

  it("Ctrl-C (SIGINT) on the coordinator cancels the running remote attempt", async () => {
    const p = project();
    const worker = p.worker(p.failures);
    await worker.waitFor(/ready/);
    const run = coordinator(p.dir, ["run", p.failures, ...p.flags]);
    await waitForStart(p.dir, "gate");
    run.child.kill("SIGINT");
    await worker.waitFor(/cancelled run-[^|]+\|1\|gate\|1/);
    const done = await run.done;
    expect(done.code, done.out + done.err).toBe(130);
    expect(done.out + done.err).toMatch(/gate/);
  }, 300_000);

  it("Ctrl-C (SIGINT) on the coordinator removes the jobs it enqueued that no worker has taken yet", async () => {
    const p = project();
    const queueName = p.flags[p.flags.indexOf("--queue-name") + 1] as string;
    const { Queue } = await import("bullmq");
    const queue = new Queue(queueName, { connection: { url: REDIS_URL as string } });
    try {
      // No worker: the first step's job waits in the queue.
      const run = coordinator(p.dir, ["run", p.failures, ...p.flags]);
      const waiting = async () => {
        const counts = await queue.getJobCounts("waiting", "prioritized", "delayed", "active");
        return (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0);
      };
      while ((await waiting()) === 0) {
        if (run.child.exitCode !== null) throw new Error(`the coordinator ended early: ${(await run.done).err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [job] = await queue.getJobs(["waiting", "prioritized"]);
      expect(job?.id).toMatch(/\|1\|numbers\|1$/);
      run.child.kill("SIGINT");
      const done = await run.done;
      expect(done.code, done.out + done.err).toBe(130);
      expect(await waiting()).toBe(0);
      expect(await queue.getJob(job?.id as string)).toBeUndefined();
    } finally {
      await queue.close();
    }
  }, 300_000);

  it("a step past its timeout is stopped on the worker, even one that blocks its thread, and fails as a timeout", async () => {
    const p = project();
    const worker = p.worker(p.stuck);
    await worker.waitFor(/ready/);
    const done = await coordinator(p.dir, ["run", p.stuck, "--json", ...p.flags]).done;
    expect(done.code, done.out + done.err).toBe(1);
    expect(worker.log()).toMatch(/stopped run-[^|]+\|1\|stuck\|1: past its timeout of 1500 ms/);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string; error?: { message: string } }> };
    expect(result.nodes.stuck?.status).toBe("failed");
    expect(result.nodes.stuck?.error?.message).toMatch(/timed out after 1500 ms/);
    // The worker's thread was replaced: the worker takes the next job.
    const again = await coordinator(p.dir, ["run", p.stuck, "--json", "--no-cache", ...p.flags]).done;
    expect(again.code).toBe(1);
    expect(worker.log().match(/stopped run-/g)?.length).toBe(2);
  }, 300_000);

  it("a coordinator killed mid-run: linea resume adopts the finished jobs, waits for the running one, enqueues the rest", async () => {
    const p = project();
    const worker = p.worker(p.failures);
    await worker.waitFor(/ready/);
    const run = coordinator(p.dir, ["run", p.failures, ...p.flags]);
    await waitForStart(p.dir, "gate");
    run.child.kill("SIGKILL");
    await run.done;
    const runId = await runIdOf(p.dir);
    // The resumed run waits for gate's job, still running on the worker, instead of running it again:
    // it is let go only once the resumed coordinator says it waits for it.
    let released = false;
    const resumed = coordinator(p.dir, ["resume", runId, "--json", ...p.flags], (err) => {
      if (!released && /step "gate": waiting for job \S+\|1\|gate\|1 of the run's attempt 1, still active/.test(err)) {
        released = true;
        release(p.dir);
      }
    });
    const done = await resumed.done;
    expect(done.code, done.out + done.err).toBe(0);
    expect(readFileSync(join(p.dir, "out/doubled.csv"), "utf8")).toBe(EXPECTED_CSV);
    expect(worker.log().match(/took run-[^|]+\|\d\|gate\|/g)).toHaveLength(1);
    expect(worker.log()).toMatch(new RegExp(`took ${runId}\\|2\\|doubled\\|1`));
    expect(starts(p.dir, "gate")).toHaveLength(1);
    expect(released).toBe(true);
  }, 300_000);
});

/** A TCP proxy to Redis that the test can cut: every connection through it drops, and no new one is taken. */
async function redisProxy(target: string): Promise<{ url: string; cut(): void }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port || 6379) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  const url = new URL(target);
  url.host = `127.0.0.1:${address.port}`;
  return {
    url: url.toString(),
    cut: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describeWithRedis("distributed runs losing Redis", () => {
  it("Redis lost mid-run: the step waiting on it fails, naming the queue, and the run ends (no hang)", async () => {
    const p = project();
    const worker = p.worker(p.failures);
    await worker.waitFor(/ready/);
    const proxy = await redisProxy(REDIS_URL as string);
    const flags = p.flags.map((f) => (f === REDIS_URL ? proxy.url : f));
    const run = coordinator(p.dir, ["run", p.failures, "--json", ...flags]);
    await waitForStart(p.dir, "gate");
    proxy.cut();
    const done = await run.done;
    release(p.dir);
    expect(done.code, done.out + done.err).toBe(1);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string; error?: { message: string } }> };
    expect(result.nodes.gate?.status).toBe("failed");
    expect(result.nodes.gate?.error?.message).toMatch(/queue "redis:\/\/127\.0\.0\.1:\d+\/?" \(Redis\) became unreachable/);
  }, 300_000);
});

describeWithRedis("distributed runs losing the object store", () => {
  it("the S3 store lost mid-run: the step that cannot store its output fails, naming the store, and the run ends (no hang)", async () => {
    const p = project();
    const s3 = await startS3Server();
    const store = s3.address("lost");
    const flags = p.flags.map((f) => (f === join(p.dir, "store") ? store : f));
    const queueName = flags[flags.indexOf("--queue-name") + 1] as string;
    const worker = startWorker(p.dir, p.failures, REDIS_URL as string, store, ["--queue-name", queueName, ...LEASE]);
    await worker.waitFor(/ready/);
    const run = coordinator(p.dir, ["run", p.failures, "--json", ...flags]);
    await waitForStart(p.dir, "gate"); // numbers ran, its output is in the store
    await s3.stop();
    release(p.dir);
    const done = await run.done;
    expect(done.code, done.out + done.err).toBe(1);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string; error?: { message: string } }> };
    // gate's small output travels inline, in its job's result; doubled's must go through the store, which is gone.
    expect([result.nodes.numbers?.status, result.nodes.gate?.status, result.nodes.doubled?.status, result.nodes.save?.status]).toEqual(["success", "success", "failed", "skipped"]);
    const named = /^Object store "s3:\/\/linea\/lost\?endpoint=[^"]+" \(S3 storage\) failed to [^:]+: .*ECONNREFUSED.*Is the S3 storage running and reachable from this machine\?/;
    expect(result.nodes.doubled?.error?.message).toMatch(named);
    // The coordinator's own writes to the store (cache entries, checkpoint) are warnings naming it.
    expect(done.err).toMatch(/linea: warning: could not write the checkpoint of run \S+: Object store "s3:\/\/linea\/lost/);
  }, 300_000);
});

/**
 * Replaces a folder that other processes are writing into by a file. Removing it in place races with them
 * (rmdir fails with ENOTEMPTY when one adds a file in between), so it is renamed away first, which is atomic;
 * a writer that recreates it before the file lands is moved away again.
 */
function replaceFolderWithFile(folder: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      if (existsSync(folder)) renameSync(folder, `${folder}.lost-${attempt}`);
      writeFileSync(folder, "not a folder any more", { flag: "wx" });
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
    }
  }
}

describeWithRedis("distributed runs losing the shared folder", () => {
  it("the shared folder lost mid-run (replaced by a file): the step that cannot store its output fails, naming the store", async () => {
    const p = project();
    const store = join(p.dir, "store");
    const worker = p.worker(p.failures);
    await worker.waitFor(/ready/);
    const run = coordinator(p.dir, ["run", p.failures, "--json", ...p.flags]);
    await waitForStart(p.dir, "gate");
    replaceFolderWithFile(store);
    release(p.dir);
    const done = await run.done;
    expect(done.code, done.out + done.err).toBe(1);
    const result = JSON.parse(done.out) as { nodes: Record<string, { status: string; error?: { message: string } }> };
    expect([result.nodes.gate?.status, result.nodes.doubled?.status, result.nodes.save?.status]).toEqual(["success", "failed", "skipped"]);
    expect(result.nodes.doubled?.error?.message).toContain(`Object store ${JSON.stringify(store)} (shared folder) failed to store objects/`);
  }, 300_000);
});

describe("distributed runs with a service unreachable", () => {
  it("a Redis that does not answer (a closed port) is an error naming it, before the run starts", async () => {
    const dir = tempDir("linea-dist-");
    const { failures } = writeFailurePipelines(dir);
    const run = await linea(dir, ["run", failures, "--queue", "redis://127.0.0.1:1", "--store", join(dir, "store")]);
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/Queue "redis:\/\/127\.0\.0\.1:1" \(Redis\) is unreachable/);
    const worker = await linea(dir, ["worker", failures, "--queue", "redis://127.0.0.1:1", "--store", join(dir, "store")]);
    expect(worker.code).not.toBe(0);
    expect(worker.err).toMatch(/redis:\/\/127\.0\.0\.1:1.*unreachable/);
  });

  it("an object store that does not answer is an error naming it, before the run starts", async () => {
    const dir = tempDir("linea-dist-");
    const { failures } = writeFailurePipelines(dir);
    const store = "s3://bucket/linea?endpoint=http://127.0.0.1:1";
    const run = await linea(dir, ["run", failures, "--queue", "redis://127.0.0.1:1", "--store", store]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain("s3://bucket/linea");
    // Without AWS credentials it cannot sign; with them (another test of this file sets some) the connection is refused.
    expect(run.err).toMatch(/unreachable|running and reachable|could not|cannot/i);
  });
});
