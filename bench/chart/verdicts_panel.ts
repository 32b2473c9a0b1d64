/**
 * The verdicts as a chart panel, above the sections: every headline and goal with its value, its
 * goal and whether it was met, missed, or beyond what the floor reaches on this device.
 * @module
 */
import type { BenchReport, Ratio } from "../report.ts";
import { formatGoal } from "../verdicts.ts";
import type { Panel, PanelLayout } from "./bars.ts";
import { text, textWidth } from "./svg_text.ts";

const ROW = 18;
const HEADING = 30;

/** The colour and word of each verdict. */
const VERDICT_LOOK: Readonly<Record<Ratio["verdict"], [string, string]>> = {
  met: ["#15803d", "met"],
  missed: ["#b91c1c", "MISSED"],
  "floor-bound": ["#6b7280", "beyond the floor"],
  info: ["#374151", ""],
};

/** The ratios this panel lists: headlines first, then the other goals. */
export function verdictRows(report: BenchReport): Ratio[] {
  return [
    ...report.ratios.filter((r) => r.headline),
    ...report.ratios.filter((r) => !r.headline && r.target),
  ];
}

/** The panel's width: the longest label and the three columns after it. */
export function verdictsWidth(report: BenchReport): number {
  const labels = verdictRows(report).map((r) => textWidth(r.label));
  return 10 + Math.max(0, ...labels) + 290;
}

/** The verdicts of `report` as a panel. */
export function verdictsPanel(report: BenchReport, layout: PanelLayout): Panel {
  const rows = verdictRows(report);
  const labelEnd = 10 + Math.max(0, ...rows.map((r) => textWidth(r.label)));
  const parts = [
    text(10, layout.top + 18, "headlines and goals (p50 ratios)", { size: 14, bold: true }),
  ];
  rows.forEach((r, i) => {
    const y = layout.top + HEADING + 12 + i * ROW;
    const [colour, word] = VERDICT_LOOK[r.verdict];
    parts.push(
      text(10, y, r.label, { bold: r.headline }),
      text(labelEnd + 70, y, `${r.value.toFixed(2)}×`, { anchor: "end" }),
      text(labelEnd + 84, y, formatGoal(r.target), { fill: "#4b5563" }),
      text(labelEnd + 170, y, word, { fill: colour, bold: r.verdict === "missed" }),
    );
  });
  return { parts, height: HEADING + 12 + rows.length * ROW };
}
