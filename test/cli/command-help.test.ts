// Each command's --help lists exactly the options its parser accepts (and the common ones): a flag added to
// a command without its help line, or a help line for a flag the parser refuses, fails here.
import { describe, expect, it } from "vitest";
import { COMMAND_FLAGS } from "../../src/cli/command-flags.js";
import { COMMAND_NAMES, commandHelp } from "../../src/cli/command-help.js";
import { COMMON_FLAGS } from "../../src/cli/parse-command.js";
import { linea } from "./cli-helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

/** The long options a help text names (`--name`), but --help itself. */
function namedOptions(help: string): string[] {
  return [...new Set([...help.matchAll(/(?<![\w-])--([a-z][a-z-]*[a-z])\b/g)].map((m) => m[1] as string))].filter((name) => name !== "help").sort();
}

describe("command help", () => {
  it.each(COMMAND_NAMES)("linea %s --help names every option the command accepts, and no other", (command) => {
    const accepted = Object.keys({ ...COMMON_FLAGS, ...COMMAND_FLAGS[command] }).sort();
    expect(namedOptions(commandHelp(command))).toEqual(accepted);
  });

  it("lists run's workflow and sandbox options, each with what it does", async () => {
    const help = await linea(tempDir(), ["run", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of ["--select EXPR", "--exclude EXPR", "--param KEY=VALUE", "--env NAME", "--dry-run", "--allow-path DIR", "--no-cache", "--lineage-out DIR"]) {
      expect(help.out).toMatch(new RegExp(`^  ${flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +\\S`, "m"));
    }
  });

  it("is what a parser accepts: a flag the help names is taken, one it does not name is refused", async () => {
    const dir = tempDir();
    const unknown = await linea(dir, ["run", "pipeline.ts", "--allow-paths", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Unknown option '--allow-paths' (did you mean '--allow-path'?)");
  });
});
