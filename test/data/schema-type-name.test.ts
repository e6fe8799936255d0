// Schemas name column types the way DuckDB does, in every form; the data layer spells them without DuckDB.
// Each name is checked against DuckDB's own name of the type a conversion into DuckDB creates.
import * as A from "apache-arrow";
import { describe, expect, it } from "vitest";
import { schemaTypeName } from "../../src/data/arrow/schema-type-name.js";
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
