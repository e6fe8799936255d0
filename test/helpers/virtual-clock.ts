import { vi } from "vitest";

/** The real setTimeout, kept before any test fakes it: the quiet wait below must pass in real time. */
const realSetTimeout = globalThis.setTimeout;

/** Kinds of libuv requests that are real work in flight (file system, DNS, sockets being written or connected). */
const IN_FLIGHT = /^(FSReq|GetAddrInfo|GetNameInfo|Write|Shutdown|Connect|QueryWrap)/;

/** Real work in flight that Node can see: its file system requests, lookups and socket writes. */
const inFlight = (): number => process.getActiveResourcesInfo().filter((kind) => IN_FLIGHT.test(kind)).length;

/**
 * Waits until `isDone()` or the process looks quiet: no file system or socket request in flight for a few
 * real-time slices in a row, between which promises and I/O callbacks run their course. A busy machine
 * stretches real time, never the virtual time measured.
 */
async function untilQuiet(isDone: () => boolean): Promise<void> {
  let quietSlices = 0;
  while (!isDone() && quietSlices < 3) {
    for (let i = 0; i < 50 && !isDone(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (isDone()) return;
    await new Promise<void>((resolve) => realSetTimeout(resolve, 5));
    quietSlices = inFlight() === 0 ? quietSlices + 1 : 0;
  }
}

/**
 * Runs `work` with setTimeout and Date faked, and measures the virtual time it consumed: the test lets
 * real work (I/O, promises) proceed freely, and moves the fake clock only when `work` is waiting on
 * timers alone, straight to the next timer. So the measure counts the timers `work` waited for, never
 * how fast the machine is.
 */
export async function virtualTime<T>(work: () => Promise<T>): Promise<{ value: T; virtualMs: number }> {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  try {
    const t0 = Date.now();
    let settled = false;
    const running = work().finally(() => {
      settled = true;
    });
    running.catch(() => {});
    while (!settled) {
      // Real turns of the event loop (setImmediate and the saved real setTimeout are not faked).
      await untilQuiet(() => settled);
      if (!settled) await vi.advanceTimersToNextTimerAsync();
    }
    const value = await running;
    return { value, virtualMs: Date.now() - t0 };
  } finally {
    vi.useRealTimers();
  }
}
