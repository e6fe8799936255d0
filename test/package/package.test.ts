// linea as a user gets it: `npm pack`, installed into a fresh project (what `npm init -y` writes, CommonJS)
// with `npm install --prefer-offline`, then used there under plain node, from ESM and from CommonJS, by a
// strict TypeScript compile, and through `npx linea`. The only test that uses the build (dist/).
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/temp-dir.js";

interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs a command to its end (no shell); a non-zero exit is a result, not an error. */
function sh(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    // npm_config_* from an enclosing `npm test` would leak into the user's npm (e.g. its prefix).
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
    execFile(command, args, { cwd, env: { ...env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, out: out.toString(), err: err.toString() });
    });
  });
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
/** What `npx linea` runs, without npx's own start-up on every call. */
const LINEA = (): string => join(project, "node_modules/.bin/linea");

let work: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "linea-package-"));
  // `npm pack` runs `prepare`, which builds dist/ from src/ (unless dist/ is newer than every source).
  const pack = await sh(NPM, ["pack", "--pack-destination", work, "--json"], ROOT);
  expect(pack.code, pack.err).toBe(0);
  const filename = (JSON.parse(pack.out.slice(pack.out.indexOf("["))) as Array<{ filename: string }>)[0]?.filename ?? "";
  project = join(work, "my-project");
  cpSync(join(ROOT, "test/package/user-project"), project, { recursive: true });
  const init = await sh(NPM, ["init", "-y"], project);
  expect(init.code, init.err).toBe(0);
  // linea, and for the type check the user's own TypeScript and Node types, in one install.
  const install = await sh(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, filename), "typescript@5", "@types/node@20"], project);
  expect(install.code, install.err).toBe(0);
}, 600_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the packed package, installed into a fresh project", () => {
  it("installs from the registry alone, without danfo, TensorFlow or xlsx", async () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string }> };
    const registry = (await sh(NPM, ["config", "get", "registry"], project)).out.trim().replace(/\/$/, "");
    const outside = Object.entries(lock.packages)
      .filter(([path, p]) => path !== "" && p.resolved !== undefined && !p.resolved.startsWith(registry) && !p.resolved.startsWith("file:"))
      .map(([path, p]) => `${path} ${p.resolved}`);
    expect(outside).toEqual([]);
    const modules = readdirSync(join(project, "node_modules"));
    expect(modules).toContain("linea");
    for (const absent of ["danfojs-node", "xlsx", "@tensorflow", "ajv-formats", "vitest", "tsx"]) expect(modules).not.toContain(absent);
    // Only what a user needs: compiled JavaScript, declarations, the schemas, the command.
    const shipped = readdirSync(join(project, "node_modules/linea")).sort();
    expect(shipped).toEqual(["README.md", "bin", "dist", "package.json", "schemas"]);
  });

  it("imports under plain node as an ES module", async () => {
    const run = await sh(process.execPath, ["first.mjs"], project);
    expect(run.err).toBe("");
    expect(run.out).toBe("success [ { total: 15 } ]\n");
  });

  it("requires from CommonJS", async () => {
    const run = await sh(process.execPath, ["first.cjs"], project);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe("success [ { total: 15 } ]\n");
  });

  it("type-checks a strict TypeScript script against the declarations alone", async () => {
    const tsc = await sh(NPX, ["tsc", "-p", "tsconfig.json", "--listFiles"], project);
    expect(tsc.out.split("\n").filter((line) => line.includes("error TS"))).toEqual([]);
    expect([tsc.code, tsc.err]).toEqual([0, ""]);
    const files = tsc.out.split("\n");
    const fromLinea = files.filter((f) => f.includes("/node_modules/linea/"));
    expect(fromLinea.length).toBeGreaterThan(0);
    expect(fromLinea.filter((f) => !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => f.includes("danfojs-node"))).toEqual([]);
  }, 300_000);

  it("plans and runs a .ts pipeline with `npx linea` in a CommonJS project", async () => {
    const plan = await sh(NPX, ["linea", "plan", "pipeline.ts"], project);
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toMatch(/^first_pipeline: 2 steps in 2 layers/);
    const run = await sh(LINEA(), ["run", "pipeline.ts", "--quiet", "--json"], project);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ status: "success" });
  });

  it("answers --version and --help", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await sh(LINEA(), ["--version"], project)).toEqual({ code: 0, out: `${version}\n`, err: "" });
    const help = await sh(LINEA(), ["run", "--help"], project);
    expect(help.out).toMatch(/^Usage: linea run <pipeline>/);
  });

  it("fails at planning a danfo step without danfo, saying what to install", async () => {
    const plan = await sh(LINEA(), ["plan", "danfo.yaml"], project);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('linea: Cannot plan danfo step "share": danfojs-node is not installed');
    expect(plan.err).toContain('"overrides": {"xlsx":"0.18.5","@tensorflow/tfjs-node":"npm:@tensorflow/tfjs@3.21.0"}');
  });
});
