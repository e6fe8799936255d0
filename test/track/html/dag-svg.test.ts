import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../../../src/index.js";
import { layoutGraph, LAYOUT } from "../../../src/track/html/dag-layout.js";
import { chromiumPath, openHeadlessPage } from "../../helpers/headless-chromium.js";
import { ROOT, tempDir } from "../../helpers/temp-dir.js";
import { fiftyStepRun, fiftySteps } from "./fifty-step-run.js";

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly what: string;
}

/** True when two boxes share area (touching edges do not count). */
const overlap = (a: Box, b: Box, slack = 0.5): boolean =>
  a.x + slack < b.x + b.w && b.x + slack < a.x + a.w && a.y + slack < b.y + b.h && b.y + slack < a.y + a.h;

function overlapping(boxes: readonly Box[], others: readonly Box[] = boxes): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) => others.forEach((b, j) => {
    if ((others !== boxes || j > i) && overlap(a, b)) found.push(`${a.what} / ${b.what}`);
  }));
  return found;
}

describe("layoutGraph", () => {
  it("places 50 steps' boxes and labels so that none overlaps another, and routes every edge", async () => {
    const steps = fiftySteps();
    const boxes = steps.map((s) => ({ key: s.name, width: 100 + s.name.length * 4 }));
    const edges = steps.flatMap((s) => (s.inputs as string[]).flatMap((input) => steps.filter((p) => p.outputs?.includes(input)).map((p) => ({ from: p.name, to: s.name, label: { width: 90, height: 14 } }))));
    const layout = await layoutGraph(boxes, edges);
    expect(layout.boxes.size).toBe(50);
    const placed: Box[] = [...layout.boxes.values()].map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height, what: b.key }));
    const labels: Box[] = layout.edges.map((e) => ({ x: e.label?.x ?? NaN, y: e.label?.y ?? NaN, w: 90, h: 14, what: `label ${e.from}→${e.to}` }));
    expect(labels.every((l) => Number.isFinite(l.x) && Number.isFinite(l.y))).toBe(true);
    expect(overlapping(placed)).toEqual([]);
    expect(overlapping(labels)).toEqual([]);
    expect(overlapping(labels, placed)).toEqual([]);
    expect(layout.edges).toHaveLength(edges.length);
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    for (const b of placed) expect(b.h).toBe(LAYOUT.nodeHeight);
  });

  it("lays out an empty graph as an empty drawing", async () => {
    expect(await layoutGraph([], [])).toMatchObject({ edges: [], width: 2 * LAYOUT.margin, height: 2 * LAYOUT.margin });
  });
});

/** What the page measures: every box, label and node text on screen, edge paths sampled along their length. */
const MEASURE = `(() => {
  const svg = document.querySelector("svg.dag");
  const r = (el, what) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height, what }; };
  const title = (el) => el.closest("g, a")?.querySelector("title")?.textContent ?? "";
  const boxes = [...svg.querySelectorAll(".node rect")].map((el) => r(el, title(el)));
  const labels = [...svg.querySelectorAll(".edge text")].map((el) => r(el, "label " + title(el)));
  const texts = [...svg.querySelectorAll(".node text")].map((el) => ({ ...r(el, el.textContent), box: r(el.closest(".node").querySelector("rect"), title(el)) }));
  const paths = [...svg.querySelectorAll(".edge path")].map((p) => {
    const m = p.getScreenCTM(); const len = p.getTotalLength(); const pts = [];
    for (let s = 0; s <= len; s += 3) { const q = p.getPointAtLength(s); pts.push({ x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f }); }
    return { what: title(p), pts };
  });
  const fontPx = parseFloat(getComputedStyle(svg.querySelector(".node-name")).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return { boxes, labels, texts, paths, svg: r(svg, "svg"), page: document.documentElement.clientWidth, fontPx };
})()`;

interface Measured {
  boxes: Box[];
  labels: Box[];
  texts: Array<Box & { box: Box }>;
  paths: Array<{ what: string; pts: Array<{ x: number; y: number }> }>;
  svg: Box;
  page: number;
  fontPx: number;
}

const chromium = chromiumPath();
const required = process.env.LINEA_REQUIRE_CHROMIUM === "1";
if (chromium === undefined && !required) {
  console.log("HTML report in headless Chromium: skipped, no chromium found (apt-get install -y chromium, or set LINEA_TEST_CHROMIUM=/path/to/chromium)");
}

describe.skipIf(chromium === undefined && !required)("the report's graph in headless Chromium", () => {
  it("draws a 50-step pipeline readably: no two boxes or labels overlap, no edge crosses a box, it fits a 1280px page", async () => {
    if (chromium === undefined) throw new Error("chromium is required here (LINEA_REQUIRE_CHROMIUM=1) but was not found: apt-get install -y chromium");
    const dir = tempDir();
    const file = join(dir, "report.html");
    writeFileSync(file, await renderHtmlReport(fiftyStepRun()));
    const page = await openHeadlessPage(chromium, 1280, 900);
    try {
      await page.open(pathToFileURL(file).href);
      const m = await page.evaluate<Measured>(MEASURE);
      const shot = await page.send<{ data: string }>("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, clip: { x: m.svg.x, y: m.svg.y, width: m.svg.w, height: m.svg.h, scale: 1 } });
      mkdirSync(join(ROOT, ".ci/out"), { recursive: true });
      writeFileSync(join(ROOT, ".ci/out/dag-50-steps.png"), Buffer.from(shot.data, "base64"));
      expect(m.boxes).toHaveLength(50 + 4);
      expect(m.labels.length).toBeGreaterThanOrEqual(60);
      expect(overlapping(m.boxes)).toEqual([]);
      expect(overlapping(m.labels)).toEqual([]);
      expect(overlapping(m.labels, m.boxes)).toEqual([]);
      // Every node's text stays inside its box.
      const spilled = m.texts.filter((t) => t.x < t.box.x - 0.5 || t.x + t.w > t.box.x + t.box.w + 0.5).map((t) => t.what);
      expect(spilled).toEqual([]);
      // No edge passes through a box: no sampled point is inside one (its own ends sit on the border).
      const through = m.paths.flatMap((p) => m.boxes.filter((b) => p.pts.some((q) => q.x > b.x + 1.5 && q.x < b.x + b.w - 1.5 && q.y > b.y + 1.5 && q.y < b.y + b.h - 1.5)).map((b) => `${p.what} through ${b.what}`));
      expect(through).toEqual([]);
      // The whole graph fits the page's width, and its text is still readable there.
      expect(m.svg.x + m.svg.w).toBeLessThanOrEqual(m.page);
      expect(m.fontPx).toBeGreaterThanOrEqual(8);
    } finally {
      await page.close();
    }
  });
});
