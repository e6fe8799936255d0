import { vi } from "vitest";

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
      // Real turns of the event loop (setImmediate is not faked): I/O and promises run their course.
      for (let i = 0; i < 50 && !settled; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (!settled) await vi.advanceTimersToNextTimerAsync();
    }
    const value = await running;
    return { value, virtualMs: Date.now() - t0 };
  } finally {
    vi.useRealTimers();
  }
}
