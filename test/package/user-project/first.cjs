// The same from CommonJS: node first.cjs (Node 20.19+ can require() linea, an ES module)
const { Orchestrator } = require("linea");

async function main() {
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
}
main();
