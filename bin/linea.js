#!/usr/bin/env node
// The `linea` command. linea ships TypeScript, and pipelines are TypeScript modules: tsx loads both.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
