import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEachTest } from "../../helpers/cleanup.js";

/** One request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The status the server answered. */
  readonly status: number;
}

/** What the server answers to its `n`-th request (from 0); `hang` never answers. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

/** A local stand-in for Marquez: `POST /api/v1/lineage` (or `path`) answered by `reply`, everything else 404. */
export interface LineageServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The bodies of the requests answered with a 2xx: the events the server accepted. */
  accepted(): unknown[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEachTest(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a server on 127.0.0.1, on a free port; it is closed after the test. */
export async function startLineageServer(reply: (n: number, request: { headers: IncomingHttpHeaders }) => Reply = () => ({ status: 201 }), path = "/api/v1/lineage"): Promise<LineageServer> {
  const requests: ReceivedRequest[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const answer: Reply = req.method === "POST" && req.url === path ? reply(n++, { headers: req.headers }) : { status: 404, body: "not found" };
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      if (answer === "hang") {
        requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, status: 0 });
        return;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, status: answer.status });
      res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
      res.end(answer.body ?? "");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.body),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
