import { DIRECT_SUBTYPES, INDIRECT_SUBTYPES, type DirectSubtype, type IndirectSubtype, type InputField } from "./column-lineage.js";

interface FieldEdges {
  readonly dataset: string;
  readonly field: string;
  direct: DirectSubtype | undefined;
  readonly indirect: Set<IndirectSubtype>;
}

function stronger(a: DirectSubtype | undefined, b: DirectSubtype | undefined): DirectSubtype | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return DIRECT_SUBTYPES.indexOf(a) >= DIRECT_SUBTYPES.indexOf(b) ? a : b;
}

const keyOf = (dataset: string, field: string): string => `${dataset}\u0000${field}`;

/**
 * The input fields one value (or one dataset-wide condition) depends on: per field, the strongest DIRECT
 * subtype (rule 6) and the INDIRECT subtypes. Immutable from outside: every operation returns a new set.
 */
export class EdgeSet {
  private readonly edges = new Map<string, FieldEdges>();

  static empty(): EdgeSet {
    return new EdgeSet();
  }

  /** A column read as it is: DIRECT/IDENTITY. */
  static identity(dataset: string, field: string): EdgeSet {
    const set = new EdgeSet();
    set.add(dataset, field, "IDENTITY", []);
    return set;
  }

  static union(sets: readonly EdgeSet[]): EdgeSet {
    const out = new EdgeSet();
    for (const set of sets) out.merge(set);
    return out;
  }

  get size(): number {
    return this.edges.size;
  }

  private add(dataset: string, field: string, direct: DirectSubtype | undefined, indirect: Iterable<IndirectSubtype>): void {
    const key = keyOf(dataset, field);
    let entry = this.edges.get(key);
    if (entry === undefined) {
      entry = { dataset, field, direct: undefined, indirect: new Set() };
      this.edges.set(key, entry);
    }
    entry.direct = stronger(entry.direct, direct);
    for (const s of indirect) entry.indirect.add(s);
  }

  private merge(other: EdgeSet): void {
    for (const e of other.edges.values()) this.add(e.dataset, e.field, e.direct, e.indirect);
  }

  /** The value passed through a function or an aggregate: DIRECT edges become at least `subtype`. */
  through(subtype: DirectSubtype): EdgeSet {
    const out = new EdgeSet();
    for (const e of this.edges.values()) out.add(e.dataset, e.field, e.direct && stronger(e.direct, subtype), e.indirect);
    return out;
  }

  /** Every field (direct or indirect) as an INDIRECT edge of `subtype` only: a value used as a condition (rule 11). */
  asIndirect(subtype: IndirectSubtype): EdgeSet {
    const out = new EdgeSet();
    for (const e of this.edges.values()) out.add(e.dataset, e.field, undefined, [subtype]);
    return out;
  }

  /** Only the INDIRECT edges (those that travel with a value that is not itself passed on). */
  indirectOnly(): EdgeSet {
    const out = new EdgeSet();
    for (const e of this.edges.values()) if (e.indirect.size > 0) out.add(e.dataset, e.field, undefined, e.indirect);
    return out;
  }

  /** The edges as facet input fields, sorted by dataset and field; transformations DIRECT first. */
  toInputFields(): InputField[] {
    return [...this.edges.values()]
      .sort((a, b) => (a.dataset === b.dataset ? cmp(a.field, b.field) : cmp(a.dataset, b.dataset)))
      .map((e) => ({
        dataset: e.dataset,
        field: e.field,
        transformations: [
          ...(e.direct ? [{ type: "DIRECT" as const, subtype: e.direct }] : []),
          ...INDIRECT_SUBTYPES.filter((s) => e.indirect.has(s)).map((subtype) => ({ type: "INDIRECT" as const, subtype })),
        ],
      }));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
