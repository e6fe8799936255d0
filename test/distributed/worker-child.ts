// A `linea worker` process run from linea's sources (under `node --import tsx`): argv is what the command takes.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(["worker", ...process.argv.slice(2)]);
