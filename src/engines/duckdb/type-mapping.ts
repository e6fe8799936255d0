import type { DuckDBListType, DuckDBArrayType, DuckDBStructType, DuckDBType } from "@duckdb/node-api";
import { duckdb } from "./node-api.js";
import type { DataType } from "apache-arrow";
import { Type } from "apache-arrow/enum";
import { Field } from "apache-arrow/schema";
import {
  Binary, Bool, DateDay, Float32, Float64, Int16, Int32, Int64, Int8, List, Struct, TimestampMillisecond,
  Uint16, Uint32, Uint8, Utf8,
} from "apache-arrow/type";

let ints: Record<string, DuckDBType> | undefined;

/** DuckDB's integer types by Arrow bit width and sign (`64s`: BIGINT). */
function intTypes(): Record<string, DuckDBType> {
  const { TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, USMALLINT, UINTEGER, UBIGINT } = duckdb();
  ints ??= {
    "8s": TINYINT, "16s": SMALLINT, "32s": INTEGER, "64s": BIGINT,
    "8u": UTINYINT, "16u": USMALLINT, "32u": UINTEGER, "64u": UBIGINT,
  };
  return ints;
}

/**
 * The DuckDB column type for an Arrow type: what a conversion into DuckDB creates (its name is the one
 * every form reports in its schema: `schemaTypeName`, which a test holds to {@link duckdbTypeName}). Timestamps of any unit become
 * `TIMESTAMP` (microseconds, so nothing is lost); types DuckDB has no twin for become `VARCHAR`.
 */
export function duckdbTypeOf(type: DataType): DuckDBType {
  const { BIGINT, BLOB, BOOLEAN, DATE, DOUBLE, FLOAT, LIST, STRUCT, TIMESTAMP, TIMESTAMPTZ, VARCHAR, DECIMAL } = duckdb();
  switch (type.typeId) {
    case Type.Bool: return BOOLEAN;
    case Type.Int: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      return intTypes()[`${t.bitWidth}${t.isSigned ? "s" : "u"}`] ?? BIGINT;
    }
    case Type.Float: return (type as unknown as { precision: number }).precision === 2 ? DOUBLE : FLOAT;
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return BLOB;
    case Type.Date: return DATE;
    case Type.Timestamp: return (type as unknown as { timezone?: string | null }).timezone ? TIMESTAMPTZ : TIMESTAMP;
    case Type.Decimal: {
      const t = type as unknown as { precision: number; scale: number };
      return DECIMAL(t.precision, t.scale);
    }
    case Type.List: case Type.FixedSizeList: return LIST(duckdbTypeOf((type.children[0] as Field).type));
    case Type.Struct:
      return STRUCT(Object.fromEntries(type.children.map((f: Field) => [f.name, duckdbTypeOf(f.type)])));
    case Type.Dictionary: return duckdbTypeOf((type as unknown as { dictionary: DataType }).dictionary);
    default: return VARCHAR;
  }
}

/** The DuckDB name of an Arrow type (`BIGINT`, `VARCHAR`, `DOUBLE[]`): one schema vocabulary for every form. */
export function duckdbTypeName(type: DataType): string {
  return duckdbTypeOf(type).toString();
}

/**
 * The Arrow type a DuckDB column converts to. Integers wider than 64 bits (a `sum` of BIGINT is a HUGEINT)
 * become Int64 and decimals become Float64: what JS and Arrow JS can hold; types Arrow JS cannot build
 * (TIME, INTERVAL, UUID, MAP, ENUM, ...) become Utf8 text.
 */
export function arrowTypeOf(type: DuckDBType): DataType {
  const { DuckDBTypeId } = duckdb();
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return new Bool();
    case DuckDBTypeId.TINYINT: return new Int8();
    case DuckDBTypeId.SMALLINT: return new Int16();
    case DuckDBTypeId.INTEGER: return new Int32();
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return new Int64();
    case DuckDBTypeId.UTINYINT: return new Uint8();
    case DuckDBTypeId.USMALLINT: return new Uint16();
    case DuckDBTypeId.UINTEGER: return new Uint32();
    case DuckDBTypeId.FLOAT: return new Float32();
    case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL: return new Float64();
    case DuckDBTypeId.BLOB: return new Binary();
    case DuckDBTypeId.DATE: return new DateDay();
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return new TimestampMillisecond();
    case DuckDBTypeId.TIMESTAMP_TZ: return new TimestampMillisecond("UTC");
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY:
      return new List(new Field("item", arrowTypeOf((type as DuckDBListType | DuckDBArrayType).valueType), true));
    case DuckDBTypeId.STRUCT: {
      const s = type as DuckDBStructType;
      return new Struct(s.entryNames.map((name, i) => new Field(name, arrowTypeOf(s.entryTypes[i] as DuckDBType), true)));
    }
    default: return new Utf8();
  }
}

/** True when {@link arrowTypeOf} turns the DuckDB type into text (so its values are read as their text). */
export function isTextFallback(type: DuckDBType): boolean {
  return arrowTypeOf(type).typeId === Type.Utf8 && type.typeId !== duckdb().DuckDBTypeId.VARCHAR;
}

