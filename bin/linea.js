#!/usr/bin/env node
// The `linea` command runs the compiled package (dist/, built by `npm run build`, on `prepare` and `prepack`).
// Plain node: tsx is loaded only when a pipeline is a TypeScript module.
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
