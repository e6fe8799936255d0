import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { quotedIdentifier } from "./node-api.js";
import type { Row } from "../../data/dataset.js";
import { batchToRows } from "../../data/forms/rows-form.js";
import { readBatch } from "./duckdb-batch.js";
import type { DuckRun } from "./duck-run.js";
import type { DataRuntime } from "../../data/form-adapter.js";
import { Relation } from "./relation.js";

/** DuckDB as a step sees it: SQL on a connection of the step's own, where its inputs are views by local name. */
export interface DuckDBStepContext {
  /**
   * Runs a query and keeps its result as a new table of the run: a relation the step may return. `values`
   * binds the query's named parameters: `sql("SELECT * FROM t WHERE qty > $min", { min: 3 })`.
   */
  sql(query: string, values?: Readonly<Record<string, DuckDBValue>>): Promise<Relation>;
  /** Runs a query and returns its rows as plain objects (for small results). */
  query(query: string): Promise<Row[]>;
  /** The step's own connection, for anything else. */
  connection(): Promise<DuckDBConnection>;
}

declare module "../../step/step.js" {
  interface StepContext {
    /** SQL on this run's DuckDB, on a connection of this step's own (opened on first use). */
    readonly duckdb: DuckDBStepContext;
  }
}

/** An input view to create on the step's connection: `local` names `relation`. */
export interface InputView {
  readonly local: string;
  readonly relation: Relation;
}

/**
 * The connection of one attempt of one step, opened on first use: one connection per running step, so
 * concurrent steps never share one (a second query on a connection cuts off an open stream), and each
 * step's temporary views of its inputs are its own. Aborting the step's signal interrupts the query.
 */
export class StepConnection implements DuckDBStepContext {
  private opened: Promise<{ connection: DuckDBConnection; run: DuckRun }> | undefined;
  /** Tables this step created; those it does not return are dropped when it ends. */
  private created: Relation[] | undefined;

  /** `duckRun(runtime)` gives the run's DuckDB (a function and its argument rather than a closure per step). */
  constructor(
    private readonly duckRun: (runtime: DataRuntime) => Promise<DuckRun>,
    private readonly runtime: DataRuntime,
    private readonly views: readonly InputView[],
    private readonly signal: AbortSignal,
  ) {}

  private open(): Promise<{ connection: DuckDBConnection; run: DuckRun }> {
    this.opened ??= (async () => {
      const run = await this.duckRun(this.runtime);
      const connection = await run.engine.acquire();
      try {
        for (const view of this.views) {
          await connection.run(`CREATE TEMP VIEW ${quotedIdentifier(view.local)} AS SELECT * FROM ${view.relation.ref}`);
        }
      } catch (error) {
        run.engine.release(connection, false);
        throw error;
      }
      this.signal.addEventListener("abort", () => connection.interrupt(), { once: true });
      return { connection, run };
    })();
    return this.opened;
  }

  /** True once the connection has been asked for. */
  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  async connection(): Promise<DuckDBConnection> {
    return (await this.open()).connection;
  }

  async sql(query: string, values?: Readonly<Record<string, DuckDBValue>>): Promise<Relation> {
    const { connection, run } = await this.open();
    const table = run.newTable();
    const statement = `CREATE TABLE ${run.ref(table)} AS ${query}`;
    const result = values === undefined || Object.keys(values).length === 0
      ? await connection.run(statement)
      : await connection.run(statement, { ...values });
    const rows = await result.getRows();
    const relation = new Relation(run, table, Number(rows[0]?.[0] ?? 0));
    (this.created ??= []).push(relation);
    return relation;
  }

  async query(query: string): Promise<Row[]> {
    return batchToRows(await readBatch(await this.connection(), query));
  }

  /**
   * Drops the tables this step created that are not in `keep` (its outputs), and closes the connection:
   * its temporary views go with it.
   */
  async close(keep: ReadonlySet<Relation> = new Set()): Promise<void> {
    if (this.opened === undefined) return;
    let opened: { connection: DuckDBConnection; run: DuckRun };
    try {
      opened = await this.opened;
    } catch {
      return; // Opening failed; nothing to close.
    }
    const { connection, run } = opened;
    try {
      for (const relation of this.created ?? []) {
        if (!keep.has(relation)) await connection.run(`DROP TABLE IF EXISTS ${relation.ref}`);
      }
    } finally {
      run.engine.release(connection, false);
    }
  }
}
