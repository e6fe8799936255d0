import { quotedIdentifier } from "./node-api.js";
import type { Column } from "../../data/dataset.js";
import type { FormAdapter } from "../../data/form-adapter.js";
import { batchToRows } from "../../data/forms/rows-form.js";
import { duckRunOf } from "./duck-run-of.js";
import { appendBatch, readBatch } from "./duckdb-batch.js";
import { Relation } from "./relation.js";

/** Tables in the run's DuckDB. Every probe is SQL: `DESCRIBE`, `count(*)`, `LIMIT n`; nothing is pulled into JS. */
export const duckdbForm: FormAdapter<"duckdb"> = {
  form: "duckdb",
  matches: (value): value is Relation => value instanceof Relation,
  schema: (rel) =>
    rel.run.engine.withConnection(async (c): Promise<Column[]> => {
      const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${rel.ref}`);
      return reader.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    }),
  rowCount: async (rel) => {
    if (rel.knownRowCount !== undefined) return rel.knownRowCount;
    const count = await rel.run.engine.withConnection(async (c) => {
      const reader = await c.runAndReadAll(`SELECT count(*) FROM ${rel.ref}`);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    });
    rel.knownRowCount = count;
    return count;
  },
  knownRowCount: (rel) => rel.knownRowCount,
  sample: (rel, n) =>
    rel.run.engine.withConnection(async (c) => batchToRows(await readBatch(c, `SELECT * FROM ${rel.ref} LIMIT ${Math.max(0, Math.floor(n))}`))),
  toBatch: (rel) => rel.run.engine.withConnection((c) => readBatch(c, `SELECT * FROM ${rel.ref}`)),
  fromBatch: async (batch, runtime) => {
    const run = await duckRunOf(runtime);
    const table = await run.engine.withConnection((c) => appendBatch(c, run, batch));
    return new Relation(run, table, batch.rowCount);
  },
  handOut: (rel) => rel,
  fingerprint: (rel) =>
    rel.run.engine.withConnection(async (c) => {
      const reader = await c.runAndReadAll(`SELECT count(*), bit_xor(hash(t)), sum(hash(t)::HUGEINT) FROM ${rel.ref} AS t`);
      return JSON.stringify(reader.getRowsJson()[0]);
    }),
  empty: async (columns, runtime) => {
    const run = await duckRunOf(runtime);
    const table = run.newTable();
    const list = columns.map((c) => `${quotedIdentifier(c.name)} ${c.type}`).join(", ");
    await run.engine.withConnection((c) => c.run(`CREATE TABLE ${run.ref(table)} (${list})`));
    return new Relation(run, table, 0);
  },
  release: async (rel) => {
    await rel.run.engine.withConnection((c) => c.run(`DROP TABLE IF EXISTS ${rel.ref}`));
  },
};
