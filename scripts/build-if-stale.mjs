#!/usr/bin/env node
// Builds dist/ (`npm run build`: tsc -p tsconfig.build.json) unless it is newer than every source: src/,
// the tsconfigs and package.json. Runs on `prepare` (npm install, npm ci, npm pack, installs from git) and
// before `npm run example`, so a fresh clone and a stale dist/ both get a build and a fresh one costs nothing.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = join(root, "dist/.tsbuildinfo");

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // never built
}
const sources = Math.max(...["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((p) => newest(join(root, p))));
if (built > sources && process.argv[2] !== "--force") process.exit(0);

const tsc = join(root, "node_modules/typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
// tsc leaves its build info untouched when no output changed: mark the build as done now.
if (result.status === 0) utimesSync(stamp, new Date(), new Date());
process.exit(result.status ?? 1);
