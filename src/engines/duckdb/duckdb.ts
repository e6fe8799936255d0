import { EMPTY_ARRAY } from "../../util/empty.js";
import type { DatasetHandle } from "../../data/dataset-handle.js";
import { deriveSqlLineage } from "./derive-sql-lineage.js";
import { packageVersion } from "../../util/package-version.js";
import type { Engine, EngineInstance, EngineStep, EngineStepStart } from "../engine.js";
import { runReadBody, runWriteBody } from "./bodies/file-bodies.js";
import { runSqlBody } from "./bodies/sql-body.js";
import { duckRunOf } from "./duck-run-of.js";
import { measureChecks } from "./duckdb-checks.js";
import { DuckDBEngine, type DuckDBEngineOptions } from "./duckdb-engine.js";
import { duckdbForm } from "./duckdb-form.js";
import { Relation } from "./relation.js";
import { sqlBodyProblem } from "./sql-body-problem.js";
import { StepConnection } from "./step-context.js";
import { duckdbStorage } from "./duckdb-storage.js";

let version: string | undefined;

/** Closes a step's connection, keeping the tables the step returned. */
function closeConnection(connection: StepConnection, outputs: readonly DatasetHandle[]): Promise<void> {
  const kept = outputs.map((o) => o.handOutNow("duckdb")).filter((v): v is Relation => v instanceof Relation);
  return connection.close(new Set(kept));
}

/** A running step's `ctx.duckdb` (a class, not an object literal of closures: this is made for every `run` step). */
class DuckDBStep implements EngineStep {
  constructor(readonly member: StepConnection) {}

  /** Nothing to wait for when the step never used `ctx.duckdb` (most steps that are not duckdb's). */
  close(outputs: readonly DatasetHandle[]): Promise<void> | undefined {
    return this.member.isOpen ? closeConnection(this.member, outputs) : undefined;
  }
}

/**
 * One connection per running step, opened on first use: `ctx.duckdb`, where the inputs of a step of
 * engine `duckdb` are views by their local names. The tables it made and the step did not return are
 * dropped when the step ends.
 */
function startStep(start: EngineStepStart): EngineStep {
  const views = start.engine === "duckdb"
    ? Object.entries(start.inputs).filter((e): e is [string, Relation] => e[1] instanceof Relation).map(([local, relation]) => ({ local, relation }))
    : EMPTY_ARRAY;
  return new DuckDBStep(new StepConnection(duckRunOf, start.runtime, views, start.signal));
}

/**
 * DuckDB: tables of the run's own schema (`engine: "duckdb"` steps get relations), and the engine of the
 * `sql`, `read` and `write` bodies and of data checks. One instance per orchestrator (confined to the
 * pipeline's sandbox), one schema per run, one connection per running step.
 */
export const duckdb: Engine = {
  name: "duckdb",
  form: duckdbForm,
  bodies: {
    sql: runSqlBody,
    read: runReadBody,
    write: runWriteBody,
    checks: measureChecks,
  },
  storage: duckdbStorage,
  version: () => (version ??= packageVersion("@duckdb/node-api")),
  open: (host) => DuckDBEngine.open(host.options as DuckDBEngineOptions | undefined, host.access),
  startStep,
  sqlLineage: deriveSqlLineage,
  sqlProblem: (sql, instance: EngineInstance) => (instance as DuckDBEngine).withConnection((c) => sqlBodyProblem(c, sql)),
};
