import { quotedString } from "./node-api.js";
import type { DataRuntime } from "../../data/form-adapter.js";
import type { EngineStorage } from "../engine.js";
import { duckRunOf } from "./duck-run-of.js";
import { readFunctionSql } from "./file-sql.js";
import { Relation } from "./relation.js";

/** A new table of the run made by a query, with its row count. */
async function createTable(runtime: DataRuntime, query: string): Promise<Relation> {
  const run = await duckRunOf(runtime);
  const table = run.newTable();
  const count = await run.engine.withConnection(async (c) => {
    const result = await c.run(`CREATE TABLE ${run.ref(table)} AS ${query}`);
    return Number((await result.getRows())[0]?.[0] ?? 0);
  });
  return new Relation(run, table, count);
}

/** Parquet through DuckDB's `COPY` (its default snappy codec: the fastest to write here) and `read_parquet`. */
export const duckdbStorage: EngineStorage = {
  writeParquet: async (value, path) => {
    const relation = value as Relation;
    await relation.run.engine.withConnection((c) => c.run(`COPY (SELECT * FROM ${relation.ref}) TO ${quotedString(path)} (FORMAT parquet)`));
  },
  readParquet: (path, runtime) => createTable(runtime, `SELECT * FROM read_parquet(${quotedString(path)})`),
  readFile: (path, format, options, runtime) => createTable(runtime, `SELECT * FROM ${readFunctionSql(path, format, options)}`),
};
