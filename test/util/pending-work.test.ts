import { describe, expect, it } from "vitest";
import { PendingWork } from "../../src/util/pending-work.js";

describe("PendingWork", () => {
  it("settles once no work is under way, work added meanwhile included; a failure goes to its handler", async () => {
    const pending = new PendingWork();
    await pending.settled();
    const errors: unknown[] = [];
    let release: () => void = () => undefined;
    pending.add(new Promise<void>((resolve) => (release = resolve)), (e) => errors.push(e));
    pending.add(Promise.reject(new Error("no")), (e) => errors.push((e as Error).message));
    expect(pending.size).toBe(2);
    let settled = false;
    const done = pending.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    expect(errors).toEqual(["no"]);
    pending.add(new Promise((resolve) => setTimeout(resolve, 5)), (e) => errors.push(e));
    release();
    await done;
    expect(pending.size).toBe(0);
    expect(errors).toEqual(["no"]);
  });
});
