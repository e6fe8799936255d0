import type { DocumentPath, Finding } from "./place-of.js";

/** A reference: `${NAME}` or `${NAME:-default}`; its inside is checked apart so a malformed one is reported. */
const REFERENCE = /\$\{([^}]*)\}/g;
const INSIDE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Environment variables by name (a process's `env`). */
export type Variables = Readonly<Record<string, string | undefined>>;

/** A text with its references replaced, or what is wrong with them (never the values: they may be secrets). */
export type Expanded = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly findings: Finding[] };

/**
 * Replaces `${NAME}` by the variable's value and `${NAME:-default}` by the value, or `default` when the
 * variable is unset or empty (as a shell does). A variable that is unset or empty without a default, a
 * malformed reference, or a `${` left open is a finding at `path` that names the variable and the fix.
 */
export function expandVariables(text: string, variables: Variables, path: DocumentPath): Expanded {
  const findings: Finding[] = [];
  const value = text.replace(REFERENCE, (whole, inside: string) => {
    const match = INSIDE.exec(inside);
    if (match === null) {
      findings.push({ path, message: `malformed reference ${JSON.stringify(whole)}: write \${NAME} or \${NAME:-default}, NAME made of letters, digits and _` });
      return "";
    }
    const [, name, fallback] = match as unknown as [string, string, string | undefined];
    const found = variables[name];
    if (found !== undefined && found !== "") return found;
    if (fallback !== undefined) return fallback;
    findings.push({ path, message: `environment variable ${name} is not set: set it, or give a default with \${${name}:-default}` });
    return "";
  });
  if (findings.length === 0 && value.includes("${")) {
    findings.push({ path, message: "a reference is not closed: write ${NAME} or ${NAME:-default}" });
  }
  return findings.length === 0 ? { ok: true, value } : { ok: false, findings };
}
