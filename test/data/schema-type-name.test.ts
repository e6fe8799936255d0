// Schemas name column types the way DuckDB does, in every form; the data layer spells them without DuckDB.
// Each name is checked against DuckDB's own name of the type a conversion into DuckDB creates.
import * as A from "apache-arrow";
import { describe, expect, it } from "vitest";
import { schemaTypeName } from "../../src/data/arrow/schema-type-name.js";
import { inferArrowType, inferTypeName } from "../../src/data/arrow/infer-arrow-type.js";
import { duckdbTypeName } from "../../src/engines/duckdb/type-mapping.js";

const field = (name: string, type: A.DataType): A.Field => new A.Field(name, type, true);

const TYPES: A.DataType[] = [
  new A.Bool(), new A.Int8(), new A.Int16(), new A.Int32(), new A.Int64(), new A.Uint8(), new A.Uint16(), new A.Uint32(), new A.Uint64(),
  new A.Float16(), new A.Float32(), new A.Float64(), new A.Utf8(), new A.LargeUtf8(), new A.Binary(), new A.DateDay(), new A.DateMillisecond(),
  new A.TimestampMillisecond(), new A.TimestampMicrosecond("UTC"), new A.Decimal(2, 10, 128), new A.List(field("item", new A.Int64())),
  new A.List(field("item", new A.List(field("x", new A.Utf8())))), new A.FixedSizeList(2, field("i", new A.Float64())),
  new A.Struct([field("a", new A.Int32()), field("b c", new A.Utf8()), field("Sel", new A.Utf8()), field("select", new A.Bool()), field('q"uote', new A.Int8())]),
  new A.Dictionary(new A.Utf8(), new A.Int32()), new A.Null(), new A.TimeMillisecond(), new A.IntervalDayTime(),
];

describe("schemaTypeName", () => {
  for (const type of TYPES) {
    it(`names ${String(type)} as DuckDB does`, () => {
      expect(schemaTypeName(type)).toBe(duckdbTypeName(type));
    });
  }

  it("spells the common names", () => {
    expect([new A.Int64(), new A.Float64(), new A.Utf8(), new A.List(field("item", new A.Float64()))].map(schemaTypeName)).toEqual(["BIGINT", "DOUBLE", "VARCHAR", "DOUBLE[]"]);
  });
});

describe("inferTypeName", () => {
  it("names every column as schemaTypeName(inferArrowType(column)) does, without building the column", () => {
    const day = new Date(Date.UTC(2026, 0, 2));
    const columns: unknown[][] = [
      [], [null], [undefined, null], [true, false, null], [1, 2, 3], [1, 2.5], [1n, 2], [1n, 2.5], ["a", null, "b"], ["a", 1],
      [day, null], [day, new Date(Date.UTC(2026, 0, 2, 3))], [new Uint8Array([1]), null], [[1, 2], [3], null], [["a"], []], [[[1.5]], [[2]]],
      [[1, "a"]], [{ a: 1 }], [{ a: 1 }, null], [true, 1], [day, "x"], [[true], null, [false, null]], [Number.MAX_SAFE_INTEGER + 2], [NaN, 1],
    ];
    for (const values of columns) {
      const rows = values.map((value) => (value === undefined ? {} : { c: value }));
      expect(inferTypeName(rows, "c"), JSON.stringify(values, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))).toBe(schemaTypeName(inferArrowType(values)));
    }
  });
});
