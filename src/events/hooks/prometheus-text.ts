/** One sample of a metric family: its labels and value. */
export interface PrometheusSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family in the Prometheus text exposition format (version 0.0.4). */
export interface MetricFamily {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*` */
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter";
  readonly samples: readonly PrometheusSample[];
}

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text as the format wants it: backslash and line feed escaped (quotes stay). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatSample(name: string, sample: PrometheusSample): string {
  const labels = Object.entries(sample.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return `${name}${labels.length > 0 ? `{${labels.join(",")}}` : ""} ${formatValue(sample.value)}`;
}

/** Renders metric families as a Prometheus text exposition, `# HELP` and `# TYPE` before each family. */
export function prometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const sample of f.samples) lines.push(formatSample(f.name, sample));
  }
  return `${lines.join("\n")}\n`;
}
