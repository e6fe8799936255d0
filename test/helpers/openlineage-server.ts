// A real HTTP server on 127.0.0.1 that records what OpenLineage clients POST, answering as told (accept,
// fail with a status, or never answer); and a validator of events against the official schemas the tests carry.
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { OPENLINEAGE_SPEC_URL, type OpenLineageRunEvent } from "../../src/index.js";
import { ROOT } from "./temp-dir.js";

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly event: OpenLineageRunEvent;
}

export type ServerBehaviour = "accept" | "fail" | "hang";

export interface OpenLineageServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (a free port) that records each request and accepts (200), fails (500) or never answers it. */
export async function openLineageServer(behaviour: ServerBehaviour = "accept"): Promise<OpenLineageServer> {
  const requests: RecordedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      requests.push({ method: request.method ?? "", path: request.url ?? "", authorization: request.headers.authorization, event: JSON.parse(body) as OpenLineageRunEvent });
      if (behaviour === "hang") return void hanging.push(response);
      response.writeHead(behaviour === "accept" ? 200 : 500, { "content-type": "application/json" });
      response.end(behaviour === "accept" ? "{}" : '{"error":"database is down"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/** Problems of an event against the official OpenLineage 2-0-2 RunEvent schema (test/fixtures/openlineage); empty when valid. */
export function openLineageProblems(): (event: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const dir = resolve(ROOT, "test/fixtures/openlineage/spec");
  const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  ajv.addSchema(json(join(dir, "OpenLineage.json")), OPENLINEAGE_SPEC_URL);
  for (const file of readdirSync(join(dir, "facets")).filter((f) => f.endsWith(".json"))) ajv.addSchema(json(join(dir, "facets", file)));
  const validate = ajv.getSchema(`${OPENLINEAGE_SPEC_URL}#/$defs/RunEvent`);
  if (validate === undefined) throw new Error("the OpenLineage RunEvent schema was not found");
  return (event) => (validate(event) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
}
