import type { DataRuntime } from "../../data/form-adapter.js";
import type { DuckRun } from "./duck-run.js";

/** The run's DuckDB (its schema opened on first use). */
export function duckRunOf(runtime: DataRuntime): Promise<DuckRun> {
  return runtime.session("duckdb") as Promise<DuckRun>;
}
