// What bin/linea.js does, from src/ (under tsx), so that process-level tests need no build of dist/.
// bin/linea.js itself (on dist/) is run by the package test, test/package/.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
