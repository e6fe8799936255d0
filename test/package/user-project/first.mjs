// A first script, as ES module: node first.mjs
import { Orchestrator } from "linea";

const orchestrator = new Orchestrator({
  name: "first",
  steps: [
    { name: "numbers", outputs: ["numbers"], sql: "SELECT range AS n FROM range(1, 6)" },
    { name: "total", engine: "rows", inputs: { rows: "numbers" }, outputs: ["total"],
      run: ({ rows }) => [{ total: rows.reduce((sum, row) => sum + Number(row.n), 0) }] },
  ],
});
const result = await orchestrator.execute();
console.log(result.status, await result.dataMap.get("total")?.toRows());
await orchestrator.close();
