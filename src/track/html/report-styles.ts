import { html, SafeHtml } from "./safe-html.js";

/** Fill and stroke of each status, for nodes, bars, badges and panels. */
const STATUS_COLORS = {
  success: ["#dcfce7", "#15803d"],
  cached: ["#dbeafe", "#1d4ed8"],
  failed: ["#fee2e2", "#b91c1c"],
  blocked: ["#ffedd5", "#c2410c"],
  aborted: ["#f1f5f9", "#64748b"],
  running: ["#fef9c3", "#a16207"],
  pending: ["#f8fafc", "#94a3b8"],
} as const;

const statusRules = Object.entries(STATUS_COLORS)
  .map(([status, [fill, stroke]]) => `.status-${status}{--fill:${fill};--stroke:${stroke}}`)
  .join("\n");

const CSS = `
:root{color-scheme:light;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
h1{margin:0 0 12px;font-size:24px}h2{margin:32px 0 12px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h4{margin:16px 0 6px;font-size:14px}h5{margin:10px 0 6px;font-size:13px;font-weight:600}
code,pre,.step-name{font-family:var(--mono);font-size:12.5px}
pre{background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;white-space:pre-wrap;word-break:break-word}
pre.error{background:#fef2f2;border-color:#fecaca;color:#7f1d1d}
.kicker{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-size:11px}
.muted{color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;background:var(--fill);color:var(--stroke);border:1px solid var(--stroke)}
ul.counts,ul.legend{display:inline-flex;flex-wrap:wrap;gap:6px;list-style:none;margin:0 0 0 8px;padding:0}
ul.legend{margin:0 0 8px;gap:14px;font-size:12px;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-2px;border-radius:3px;background:var(--fill);border:1.5px solid var(--stroke)}
.swatch.source{background:#fff;border:1.5px dashed #475569;border-radius:6px}
.scroll{overflow:auto;max-width:100%}
svg text{font-family:var(--mono)}
.dag{max-width:100%;height:auto}
.dag .node rect{fill:var(--fill);stroke:var(--stroke);stroke-width:1.5}
.dag .node.status-aborted rect,.dag .node.status-pending rect{stroke-dasharray:4 3}
.dag .node.source rect{fill:#fff;stroke:#475569;stroke-dasharray:5 3}
.dag .node-name{font-size:12px;font-weight:600;fill:var(--ink)}
.dag .node-meta{font-size:10px;fill:var(--stroke,#475569)}
.dag .node.source .node-meta{fill:#475569}
.dag a.node:hover rect{stroke-width:3}
.dag .edge path{fill:none;stroke:#94a3b8;stroke-width:1.4}
.dag .edge text{font-size:10px;fill:#475569;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.dag marker path{fill:#94a3b8}
.timeline .stripe{fill:#f8fafc}
.timeline .grid{stroke:var(--line)}
.timeline .tick{font-size:10px;fill:var(--muted)}
.timeline .row-label{font-size:12px;fill:var(--ink)}
.timeline .bar,.timeline .marker{fill:var(--fill);stroke:var(--stroke);stroke-width:1.2}
.timeline .bar.status-success{fill:#4ade80}.timeline .bar.status-failed{fill:#f87171}.timeline .bar.status-running{fill:#facc15}
.timeline .marker.status-cached{fill:#60a5fa}
.timeline .bar-label{font-size:10px;fill:var(--muted)}
.timeline a:hover .row-label{text-decoration:underline}
.timeline-note{margin:0 0 6px;color:var(--muted)}
details.step{border:1px solid var(--line);border-left:5px solid var(--stroke);border-radius:6px;margin:8px 0;background:#fff}
details.step>summary{cursor:pointer;padding:8px 12px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
details.step[open]>summary{border-bottom:1px solid var(--line);background:#f8fafc}
details.step:target{box-shadow:0 0 0 3px #93c5fd}
.layer{color:var(--muted);font-size:12px}.duration{margin-left:auto;color:var(--muted);font-size:12px}
.check-flag{color:#b45309;font-size:12px}
.panel{padding:4px 16px 16px}
.why{font-weight:600}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 32px}
.snapshot{margin:6px 0 12px}
.snapshot-tables{display:grid;grid-template-columns:minmax(180px,max-content) minmax(0,1fr);gap:12px;align-items:start}
table.data{border-collapse:collapse;font-size:12px}
table.data th,table.data td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.data th{background:#f1f5f9;font-weight:600}
table.data td{font-family:var(--mono);white-space:pre-wrap;max-width:420px;overflow-wrap:anywhere}
table.data td.num{text-align:right}
.null{color:#94a3b8;font-style:italic}.redacted{color:#7c3aed;font-style:italic}
.check{font-weight:600}.check-pass{color:#15803d}.check-fail.severity-error,.check-error{color:#b91c1c}.check-fail.severity-warn{color:#b45309}
.outcome-success{color:#15803d}.outcome-failed,.outcome-timeout,.outcome-interrupted{color:#b91c1c}
.error-text{color:#7f1d1d}
.row-delta strong{font-family:var(--mono)}
footer{margin-top:40px;color:var(--muted);font-size:12px}
${statusRules}
@media print{details.step{break-inside:avoid}}
`;

/** The report's only stylesheet, inline: the document loads nothing from anywhere. Its text is constant, never data. */
export function reportStyles(): SafeHtml {
  return html`<style>${new SafeHtml(CSS)}</style>`;
}
