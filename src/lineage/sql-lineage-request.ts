/** A `sql` step's input: its local name (the table its SQL reads), dataset and columns (DuckDB type names). */
export interface SqlLineageInput {
  readonly local: string;
  readonly dataset: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** What deriving a SQL step's column lineage needs: never the data, only the inputs' schemas. */
export interface SqlLineageRequest {
  readonly sql: string;
  readonly inputs: readonly SqlLineageInput[];
  readonly output: string;
  /** The output's columns as the step produced them, when known (a check on the derivation). */
  readonly outputColumns?: readonly string[];
}
