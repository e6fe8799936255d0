import { randomBytes } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quotedIdentifier } from "./node-api.js";

/** The connections of a DuckDB instance (a `DuckDBEngine`). */
export interface DuckDBConnections {
  acquire(): Promise<DuckDBConnection>;
  release(connection: DuckDBConnection, reusable?: boolean): void;
  withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
}

/**
 * A run's corner of DuckDB: one schema holding its datasets as tables with opaque names (`t1`, `t2`, ...),
 * so a step's SQL reaches a dataset only through the views of its own inputs, and DuckDB's "did you mean"
 * hints never point around them.
 */
export class DuckRun {
  private counter = 0;

  private constructor(readonly engine: DuckDBConnections, readonly schema: string) {}

  static async create(engine: DuckDBConnections): Promise<DuckRun> {
    const schema = `linea_${randomBytes(5).toString("hex")}`;
    await engine.withConnection((c) => c.run(`CREATE SCHEMA ${quotedIdentifier(schema)}`));
    return new DuckRun(engine, schema);
  }

  /** A table name not used before in this run. */
  newTable(): string {
    return `t${++this.counter}`;
  }

  /** The qualified, quoted reference of one of this run's tables. */
  ref(table: string): string {
    return `${quotedIdentifier(this.schema)}.${quotedIdentifier(table)}`;
  }

  /** Drops the run's tables. */
  async dispose(): Promise<void> {
    await this.engine.withConnection((c) => c.run(`DROP SCHEMA IF EXISTS ${quotedIdentifier(this.schema)} CASCADE`));
  }
}
