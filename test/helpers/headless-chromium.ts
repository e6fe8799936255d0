import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

/** Where Debian's `chromium` package puts the browser (or LINEA_TEST_CHROMIUM). */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.LINEA_TEST_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
}

/** One page of a headless Chromium, driven over the DevTools protocol. */
export interface HeadlessPage {
  /** Sends one DevTools command to the page and resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Evaluates an expression in the page (CSP bypassed: the report itself has no scripts) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Loads a URL and resolves once its load event fired. */
  open(url: string): Promise<void>;
  close(): Promise<void>;
}

function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found) {
        child.stderr?.off("data", onData);
        resolve(found[1] as string);
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`chromium exited (code ${code}) before it listened: ${text.slice(-2000)}`)));
  });
}

/**
 * Removes a throwaway profile. Chromium's helper processes can still be writing into it for a moment after the
 * browser process exited (the directory is then "not empty" while being removed), so removal is retried, and a
 * profile left behind in the temp directory never fails a test.
 */
function removeProfile(profile: string): void {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    process.emitWarning(`could not remove the Chromium profile ${profile}: ${(error as Error).message}`);
  }
}

/**
 * Starts headless Chromium on 127.0.0.1 (a random DevTools port, a throwaway profile) with one page of
 * `width` x `height` CSS pixels.
 */
export async function openHeadlessPage(executable: string, width: number, height: number): Promise<HeadlessPage> {
  const profile = mkdtempSync(join(tmpdir(), "linea-chromium-"));
  const child = spawn(executable, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
    "--no-first-run", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
    `--user-data-dir=${profile}`, "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const browserUrl = await devtoolsUrl(child);
  const socket = new WebSocket(browserUrl, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(method: string, params: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (message.id !== undefined) {
      const w = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) w?.reject(new Error(message.error.message));
      else w?.resolve(message.result);
    } else if (message.method) {
      for (const l of listeners) l(message.method, message.params);
    }
  });
  const raw = <T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const { targetId } = await raw<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await raw<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> => raw<T>(method, params, sessionId);
  await send("Page.enable");
  await send("Page.setBypassCSP", { enabled: true });
  await send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
  return {
    send,
    async evaluate<T>(expression: string): Promise<T> {
      const r = await send<{ result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>("Runtime.evaluate", { expression, returnByValue: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value;
    },
    async open(url: string): Promise<void> {
      const loaded = new Promise<void>((resolve) => {
        const l = (method: string): void => {
          if (method === "Page.loadEventFired") {
            listeners.delete(l);
            resolve();
          }
        };
        listeners.add(l);
      });
      await send("Page.navigate", { url });
      await loaded;
    },
    async close(): Promise<void> {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", resolve));
      // Browser.close lets Chromium shut its helper processes down before the browser process exits; SIGTERM is
      // the fallback when the socket is already gone.
      await Promise.race([raw("Browser.close").catch(() => undefined), exited]);
      socket.close();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      // Its own process group (detached): helpers that outlive the browser process would keep writing into the
      // profile, so the whole group goes.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is gone already.
      }
      removeProfile(profile);
    },
  };
}
