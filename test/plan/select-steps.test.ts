import { describe, expect, it } from "vitest";
import { SelectionError, selectSteps, type SelectableStep } from "../../src/index.js";

// read_a -> clean_a -> join -> report, read_b -> join; lonely stands apart.
const STEPS: SelectableStep[] = [
  { name: "read_a", layer: "ingest", tags: ["nightly"], upstream: [], downstream: ["clean_a"] },
  { name: "read_b", layer: "ingest", tags: [], upstream: [], downstream: ["join"] },
  { name: "clean_a", layer: "transform", tags: ["nightly", "finance"], upstream: ["read_a"], downstream: ["join"] },
  { name: "join", layer: "transform", tags: [], upstream: ["clean_a", "read_b"], downstream: ["report"] },
  { name: "report", layer: "store", tags: ["finance"], upstream: ["join"], downstream: [] },
  { name: "lonely", layer: undefined, tags: [], upstream: [], downstream: [] },
];

const pick = (select?: string, exclude?: string): string[] => selectSteps(STEPS, { ...(select ? { select } : {}), ...(exclude ? { exclude } : {}) });

describe("selectSteps", () => {
  it("selects by name, with descendants, ancestors, both, and limited depths", () => {
    expect(pick("join")).toEqual(["join"]);
    expect(pick("clean_a+")).toEqual(["clean_a", "join", "report"]);
    expect(pick("+join")).toEqual(["read_a", "read_b", "clean_a", "join"]);
    expect(pick("+join+")).toEqual(["read_a", "read_b", "clean_a", "join", "report"]);
    expect(pick("1+join")).toEqual(["read_b", "clean_a", "join"]);
    expect(pick("read_a+1")).toEqual(["read_a", "clean_a"]);
  });

  it("@name takes the descendants and every ancestor they need", () => {
    expect(pick("@clean_a")).toEqual(["read_a", "read_b", "clean_a", "join", "report"]);
  });

  it("selects by tag, layer and wildcard; a comma or a space is a union", () => {
    expect(pick("tag:finance")).toEqual(["clean_a", "report"]);
    expect(pick("layer:ingest")).toEqual(["read_a", "read_b"]);
    expect(pick("read_*")).toEqual(["read_a", "read_b"]);
    expect(pick("tag:night*")).toEqual(["read_a", "clean_a"]);
    expect(pick("lonely,tag:finance")).toEqual(["clean_a", "report", "lonely"]);
    expect(pick("lonely report")).toEqual(["report", "lonely"]);
  });

  it("exclude removes from the selection, or from everything when nothing is selected", () => {
    expect(pick("+report", "layer:ingest")).toEqual(["clean_a", "join", "report"]);
    expect(pick(undefined, "tag:nightly,lonely")).toEqual(["read_b", "join", "report"]);
  });

  it("names unknown steps, tags, layers and methods with what is close", () => {
    expect(() => pick("jion")).toThrow(
      'Unknown step "jion" in select "jion": no step has this name (did you mean "join"?). Steps in this pipeline: clean_a, join, lonely, read_a, read_b, report.',
    );
    expect(() => pick("tag:nightyl")).toThrow(
      'Unknown tag "nightyl" in select "tag:nightyl": no step has this tag (did you mean "nightly"?). Tags in this pipeline: finance, nightly.',
    );
    expect(() => pick(undefined, "layer:stor")).toThrow(
      'Unknown layer "stor" in exclude "layer:stor": no step has this layer (did you mean "store"?). Layers in this pipeline: ingest, store, transform.',
    );
    expect(() => pick("tg:x")).toThrow('Unknown selector method "tg" in select term "tg:x" (did you mean "tag"?). Methods are name, tag, layer.');
    expect(() => pick("x_*")).toThrow('No step matches "x_*" in select "x_*". Steps in this pipeline:');
    expect(() => pick("@join+")).toThrow('Invalid select term "@join+": "@" already takes descendants and their ancestors; drop the "+".');
    expect(() => pick(" , ")).toThrow("Empty select expression");
  });

  it("a selection that leaves nothing is an error with code SELECTION", () => {
    let error: unknown;
    try {
      pick("join", "join");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SelectionError);
    expect((error as SelectionError).code).toBe("SELECTION");
    expect((error as Error).message).toBe(
      'Empty selection select "join" exclude "join": it leaves no step to run. Select at least one step (steps: read_a, read_b, clean_a, join, report, lonely).',
    );
  });
});
