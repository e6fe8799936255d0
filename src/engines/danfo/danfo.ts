import type { Engine, EngineInstance } from "../engine.js";
import { packageVersion } from "../../util/package-version.js";
import { assertDanfoInstalled } from "./assert-danfo-installed.js";
import { danfoForm } from "./danfo-form.js";
import { loadDanfo } from "./load-danfo.js";

let version: string | undefined;

/** danfo.js loaded once per process, on first use; its session is the module (it holds nothing per run). */
const instance: EngineInstance = {
  openRun: async () => ({ value: await loadDanfo(), dispose: async () => undefined }),
  close: () => undefined,
};

/** danfo.js DataFrames for `run` steps (danfojs-node, an optional peer dependency, loaded on first use). */
export const danfo: Engine = {
  name: "danfo",
  form: danfoForm,
  bodies: {},
  version: () => (version ??= packageVersion("danfojs-node")),
  open: async () => instance,
  checkPlan: (specs) => assertDanfoInstalled(specs),
  // Importing danfo blocks the event loop for about a second: better before a run's clock starts.
  preload: async () => {
    await loadDanfo();
  },
};
