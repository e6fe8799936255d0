// `node --import ./module-probe.mjs ...`: at exit, writes every module the process loaded (ES modules, seen
// by a load hook, and CommonJS ones, from require's cache) to the file named by LINEA_MODULE_PROBE.
import { writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { MessageChannel } from "node:worker_threads";

const { port1, port2 } = new MessageChannel();
const loaded = new Set();
port1.on("message", (url) => loaded.add(url));
port1.unref();
register("./module-probe-hooks.mjs", import.meta.url, { data: { port: port2 }, transferList: [port2] });

process.on("exit", () => {
  for (const path of Object.keys(createRequire(import.meta.url).cache)) loaded.add(path);
  writeFileSync(process.env.LINEA_MODULE_PROBE ?? "modules.txt", [...loaded].join("\n"));
});
