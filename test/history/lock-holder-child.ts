// Holds the DuckDB file argv[2] open read-write (so its lock) for argv[3] ms, or with "signal" until it gets
// SIGUSR2, printing `locked` once it does.
import { DuckDBInstance } from "@duckdb/node-api";
import { sleep } from "../../src/util/sleep.js";

const [path, holdMs] = process.argv.slice(2) as [string, string];
const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
process.stdout.write("locked\n");
if (holdMs === "signal") {
  // A signal listener alone does not keep the process alive: the interval does until the signal comes.
  const alive = setInterval(() => undefined, 60_000);
  await new Promise((resolve) => process.once("SIGUSR2", resolve));
  clearInterval(alive);
}
else await sleep(Number(holdMs));
instance.closeSync();
process.stdout.write("released\n");
