import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { linea } from "./cli-helpers.js";

/** Control characters other than newline, and the DEL/C1/bidi ones a terminal acts on. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** An OpenLineage endpoint on 127.0.0.1 that accepts every event and keeps the Authorization headers. */
async function lineageEndpoint(): Promise<{ port: number; auth: string[] }> {
  const auth: string[] = [];
  const server = createServer((req, res) => {
    auth.push(req.headers.authorization ?? "");
    req.resume().on("end", () => res.writeHead(201).end());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, auth };
}

describe("what the CLI prints", () => {
  it("neutralises control characters and escape sequences in names, layers, error messages and warnings", async () => {
    const dir = tempDir("linea-cli-safety-");
    writeFileSync(join(dir, "boom.ts"), "export const boom = () => { throw new Error('bad \\u001b]0;owned\\u0007 \\u001b[2J\\rfake success'); };\n");
    writeFileSync(join(dir, "p.json"), JSON.stringify({
      name: "evil\u001b[31m\u202e",
      steps: [
        { name: "a", layer: "ingest\u001b[1A\u0008", outputs: ["x"], sql: "SELECT 'v\u001b[0m' AS v" },
        { name: "b", layer: "l\u009b2J", inputs: ["x"], outputs: ["y"], run: { module: "boom.ts", export: "boom" } },
      ],
    }));
    for (const interactive of [false, true]) {
      const run = await linea(dir, ["run", "p.json"], { interactive });
      expect(run.code).toBe(1);
      const printed = (run.out + run.err).replaceAll("\r\x1b[K", "");
      expect(printed).not.toMatch(RAW_CONTROL);
      expect(run.out).toContain("evil\\x1b[31m\\u202e: failed in");
      expect(run.out).toContain("bad \\x1b]0;owned\\x07 \\x1b[2J fake success");
      expect(run.out).toContain("ingest\\x1b[1A\\x08");
    }
    for (const argv of [["history"], ["plan", "p.json"], ["run", "p.json", "--json"]]) {
      const shown = await linea(dir, argv);
      expect(shown.out + shown.err, argv.join(" ")).not.toMatch(RAW_CONTROL);
    }
  });

  it("never prints the password of a URL given to linea lineage --out", async () => {
    const dir = tempDir("linea-cli-safety-");
    writeFileSync(join(dir, "p.yaml"), "name: tiny\nsteps:\n  - { name: one, outputs: [x], sql: \"SELECT 1 AS n\" }\n");
    const run = await linea(dir, ["run", "p.yaml", "--json"]);
    const runId = JSON.parse(run.out).runId as string;
    const endpoint = await lineageEndpoint();
    const sent = await linea(dir, ["lineage", runId, "--format", "openlineage", "--out", `http://u:secret@127.0.0.1:${endpoint.port}`]);
    expect(sent.code).toBe(0);
    expect(sent.err).toBe(`sent 4 OpenLineage events to http://u:***@127.0.0.1:${endpoint.port}\n`);
    expect(endpoint.auth[0]).toBe(`Basic ${Buffer.from("u:secret").toString("base64")}`);
    const refused = await linea(dir, ["lineage", runId, "--format", "openlineage", "--out", "http://u:secret@127.0.0.1:1"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("OpenLineage endpoint http://127.0.0.1:1/api/v1/lineage could not be reached");
    expect(refused.err + refused.out).not.toContain("secret");
  });
});

describe("names that become file names", () => {
  it("keep a pipeline named ../../../../tmp/x inside --lineage-out", async () => {
    const dir = tempDir("linea-cli-safety-");
    const escape = `../../../../tmp/linea-escape-${process.pid}`;
    writeFileSync(join(dir, "p.yaml"), `name: "${escape}"\nsteps:\n  - { name: one, outputs: [x], sql: "SELECT 1 AS n" }\n`);
    const run = await linea(dir, ["run", "p.yaml", "--lineage-out", "out"]);
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      `___.._.._.._tmp_linea-escape-${process.pid}.html`,
      `___.._.._.._tmp_linea-escape-${process.pid}.json`,
      `___.._.._.._tmp_linea-escape-${process.pid}.openlineage.jsonl`,
      `___.._.._.._tmp_linea-escape-${process.pid}.run.json`,
    ]);
    expect(existsSync(`/tmp/linea-escape-${process.pid}.json`)).toBe(false);
  });
});

describe("a pipeline file's own paths", () => {
  it("may not import a run module, or put the cache and history, outside its folders", async () => {
    const root = tempDir("linea-cli-safety-");
    const dir = join(root, "project");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    writeFileSync(join(root, "evil.ts"), "writeFileSync; export const x = () => []; throw new Error('imported!');\n");
    writeFileSync(join(dir, "p.yaml"), [
      "name: p",
      "options: { cacheDir: ../cache, historyDb: /tmp/h.duckdb }",
      "steps:",
      "  - { name: one, outputs: [x], run: { module: ../evil.ts, export: x } }",
      "",
    ].join("\n"));
    const run = await linea(root, ["plan", "project/p.yaml"]);
    expect(run.code).toBe(2);
    expect(run.err).toBe([
      `linea: Invalid pipeline file ${join(root, "project", "p.yaml")}:`,
      `  options.cacheDir (line 2): ${join(root, "cache")} is outside the pipeline's baseDir ${dir}: keep it under the baseDir, or add its folder to options.allowPaths`,
      `  options.historyDb (line 2): /tmp/h.duckdb is outside the pipeline's baseDir ${dir}: keep it under the baseDir, or add its folder to options.allowPaths`,
      `  steps[0].run.module (line 4): module ../evil.ts is outside the pipeline's folders (it resolves to ${join(root, "evil.ts")}): keep run modules under the pipeline file's folder or its baseDir, or add their folder to options.allowPaths`,
      "",
    ].join("\n"));
  });
});
