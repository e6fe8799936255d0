import type { DuckRun } from "./duck-run.js";

declare module "../../data/dataset.js" {
  interface EngineForms {
    /** A table in the run's DuckDB. */
    duckdb: Relation;
  }
}

/**
 * A table in the run's DuckDB: what `engine: "duckdb"` steps receive and may return. Interpolating it in
 * SQL gives its quoted reference:
 *
 * @example
 * ```ts
 * run: async ({ orders }, ctx) => ctx.duckdb.sql(`SELECT * FROM ${orders} WHERE qty > 3`)
 * ```
 */
export class Relation {
  /** @internal */
  readonly run: DuckRun;
  /** @internal The table's name inside the run's schema. */
  readonly table: string;
  /** @internal Rows, when known without a query (the count of the statement that made the table). */
  knownRowCount: number | undefined;

  /** @internal */
  constructor(run: DuckRun, table: string, rowCount?: number) {
    this.run = run;
    this.table = table;
    this.knownRowCount = rowCount;
  }

  /** The qualified, quoted table reference, for use in SQL. */
  get ref(): string {
    return this.run.ref(this.table);
  }

  toString(): string {
    return this.ref;
  }
}
