import type { ColumnTreeNode } from "./column-tree.js";

/** Control characters (and the escape that starts terminal sequences) shown as `?`: names come from user data. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/**
 * A column tree as indented text, one column a line with the step and transformations of the hop that
 * reaches it: `└─ valid_orders.qty  (enrich_orders: TRANSFORMATION)`.
 */
export function formatColumnTree(root: ColumnTreeNode): string {
  const lines: string[] = [];
  const label = (n: ColumnTreeNode): string => {
    const hop = n.step === undefined ? "" : `  (${n.step}: ${(n.transformations ?? []).map((t) => t.subtype).join(", ")})`;
    return printable(`${n.dataset}.${n.column}${hop}${n.stop ? `  [${n.stop}]` : ""}`);
  };
  const walk = (node: ColumnTreeNode, prefix: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${label(child)}`);
      walk(child, prefix + (last ? "   " : "│  "));
    });
  };
  lines.push(label(root));
  walk(root, "");
  return `${lines.join("\n")}\n`;
}
