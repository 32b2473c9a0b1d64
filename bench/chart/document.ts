/**
 * Whole charts: a report's sections stacked in one SVG document under a header naming the
 * device, or two reports compared section by section. Each section is drawn as its `chart` says
 * (bars, or lines for the heap section); every axis is logarithmic.
 * @module
 */
import type { BenchReport, Section } from "../report.ts";
import { deviceLine } from "../report_text.ts";
import { barsPanel, type Panel, type PanelLayout, VALUE_SPACE } from "./bars.ts";
import { compareBarsPanel } from "./compare_bars.ts";
import { linesPanel } from "./lines.ts";
import { verdictRows, verdictsPanel, verdictsWidth } from "./verdicts_panel.ts";
import { FONT_PX, text, textWidth } from "./svg_text.ts";

const PLOT_WIDTH = 460;
const GAP = 18;

function labelWidthFor(sections: readonly Section[]): number {
  const names = sections.flatMap((s) => s.cases.map((c) => c.name));
  return Math.max(200, ...names.map((n) => textWidth(n) + 24));
}

function device(report: BenchReport): string {
  const d = report.device;
  return deviceLine(report) + (d.emulated ? ` — EMULATED (${d.emulator})` : "");
}

function documentOf(
  header: readonly string[],
  labelWidth: number,
  panels: readonly ((layout: PanelLayout) => Panel)[],
  minWidth = 0,
): string {
  const width = Math.ceil(Math.max(minWidth, labelWidth + PLOT_WIDTH + VALUE_SPACE + 10));
  const body: string[] = [];
  let top = 40 + header.length * 16; // the title, then a line each
  for (const draw of panels) {
    const panel = draw({ top, labelWidth, plotWidth: PLOT_WIDTH });
    body.push(...panel.parts);
    top += panel.height + GAP;
  }
  const height = Math.ceil(top);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT_PX}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(10, 22, header[0], { size: 16, bold: true }),
    ...header.slice(1).map((line, i) => text(10, 40 + i * 16, line, { fill: "#374151" })),
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

/**
 * The chart of `report` as a standalone SVG document: the verdicts, then every section; or only
 * `sectionId`'s section.
 * @throws {Error} when the report has no section `sectionId`
 */
export function renderSvg(report: BenchReport, sectionId?: string): string {
  const sections = sectionId ? report.sections.filter((s) => s.id === sectionId) : report.sections;
  if (!sections.length) throw new Error(`no section ${sectionId ?? ""} in the report`);
  const withVerdicts = !sectionId && verdictRows(report).length > 0;
  return documentOf(
    [`coreshift bench (${report.mode})`, device(report), "p50 bar, p90 whisker, log axis"],
    labelWidthFor(sections),
    [
      ...(withVerdicts ? [(layout: PanelLayout) => verdictsPanel(report, layout)] : []),
      ...sections.map((s) => (layout: PanelLayout) =>
        s.chart === "lines" ? linesPanel(s, layout) : barsPanel(s, layout)
      ),
    ],
    withVerdicts ? verdictsWidth(report) : 0,
  );
}

/** Runs `a` and `b` side by side, section by section, as one SVG document. */
export function renderComparisonSvg(a: BenchReport, b: BenchReport): string {
  const ids = [...new Set([...a.sections, ...b.sections].map((s) => s.id))];
  const find = (r: BenchReport, id: string) => r.sections.find((s) => s.id === id);
  return documentOf(
    [
      "coreshift bench: two runs",
      `a: ${device(a)}, ${a.createdAt}`,
      `b: ${device(b)}, ${b.createdAt}`,
      "p50 bars (a pale, b solid), log axis; after them b ÷ a",
    ],
    labelWidthFor([...a.sections, ...b.sections]),
    ids.map((id) => (layout: PanelLayout) => compareBarsPanel(find(a, id), find(b, id), layout)),
  );
}
