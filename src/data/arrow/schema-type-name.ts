import type { DataType, Field } from "apache-arrow";
import { Type } from "apache-arrow/enum";

const INTS: Readonly<Record<string, string>> = {
  "8s": "TINYINT", "16s": "SMALLINT", "32s": "INTEGER", "64s": "BIGINT",
  "8u": "UTINYINT", "16u": "USMALLINT", "32u": "UINTEGER", "64u": "UBIGINT",
};

/**
 * The name every form reports in its schema for a column of an Arrow type: DuckDB's name of the type a
 * conversion into DuckDB creates (`BIGINT`, `VARCHAR`, `DOUBLE[]`, `STRUCT("a" INTEGER)`), one schema
 * vocabulary for every form, spelled here without loading DuckDB. Timestamps of any unit are `TIMESTAMP`;
 * types DuckDB has no twin for are `VARCHAR`.
 */
export function schemaTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool: return "BOOLEAN";
    case Type.Int: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      return INTS[`${t.bitWidth}${t.isSigned ? "s" : "u"}`] ?? "BIGINT";
    }
    case Type.Float: return (type as unknown as { precision: number }).precision === 2 ? "DOUBLE" : "FLOAT";
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return "BLOB";
    case Type.Date: return "DATE";
    case Type.Timestamp: return (type as unknown as { timezone?: string | null }).timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case Type.Decimal: {
      const t = type as unknown as { precision: number; scale: number };
      return `DECIMAL(${t.precision},${t.scale})`;
    }
    case Type.List: case Type.FixedSizeList: return `${schemaTypeName((type.children[0] as Field).type)}[]`;
    case Type.Struct:
      return `STRUCT(${type.children.map((f: Field) => `"${f.name.replace(/"/g, '""')}" ${schemaTypeName(f.type)}`).join(", ")})`;
    case Type.Dictionary: return schemaTypeName((type as unknown as { dictionary: DataType }).dictionary);
    default: return "VARCHAR";
  }
}
