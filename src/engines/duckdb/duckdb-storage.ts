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

/**
 * How stored tables are written: Parquet format version 2 (delta encodings for integers and strings, data
 * pages v2) with DuckDB's default snappy codec, and a dictionary only for a column of at most 1,000 distinct
 * values in a row group (DuckDB's default tries up to row group size / 20, hashing every value of every
 * column to find out; CPU profiles of the write showed that analysis as its largest part). On the W1
 * benchmark's 2M-row filtered orders (7 columns), medians of alternating microbenchmarks at load 5-7: COPY
 * 615-735 ms of CPU with version 1, 600-735 with version 2, 440-450 with the dictionary limit; 26, 14 and
 * 13.5 MB; reading back 480-520 ms of CPU for each. Only linea reads these objects (with the DuckDB whose
 * version is in their key).
 */
export const STORED_PARQUET_OPTIONS = "FORMAT parquet, PARQUET_VERSION v2, DICTIONARY_SIZE_LIMIT 1000";

/** Parquet through DuckDB's `COPY` (see {@link STORED_PARQUET_OPTIONS}) and `read_parquet`. */
export const duckdbStorage: EngineStorage = {
  writeParquet: async (value, path) => {
    const relation = value as Relation;
    await relation.run.engine.withConnection((c) => c.run(`COPY (SELECT * FROM ${relation.ref}) TO ${quotedString(path)} (${STORED_PARQUET_OPTIONS})`));
  },
  readParquet: (path, runtime) => createTable(runtime, `SELECT * FROM read_parquet(${quotedString(path)})`),
  readFile: (path, format, options, runtime) => createTable(runtime, `SELECT * FROM ${readFunctionSql(path, format, options)}`),
};
