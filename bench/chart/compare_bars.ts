/**
 * Two runs of one section side by side: per case, run a's bar (pale) above run b's (solid), each
 * at its p50 on one log axis, and b ÷ a written after them. Cases only one run has get one bar.
 * @module
 */
import type { CaseResult, Section } from "../report.ts";
import { axis, legend, type Panel, type PanelLayout, VALUE_SPACE } from "./bars.ts";
import { logScale } from "./scale.ts";
import { escapeXml, FONT_PX, ROLE_COLOURS, text } from "./svg_text.ts";

const ROW = 26;
const HEADING = 30;

/** The cases of `a` and `b` paired by name, in a's order, then b's extras. */
export function pairCases(
  a: Section | undefined,
  b: Section | undefined,
): { name: string; a?: CaseResult; b?: CaseResult }[] {
  const names = [...new Set([...(a?.cases ?? []), ...(b?.cases ?? [])].map((c) => c.name))];
  return names.map((name) => ({
    name,
    a: a?.cases.find((c) => c.name === name),
    b: b?.cases.find((c) => c.name === name),
  }));
}

/** Section `a` (run a) and `b` (run b) as one panel. */
export function compareBarsPanel(
  a: Section | undefined,
  b: Section | undefined,
  layout: PanelLayout,
): Panel {
  const { top, labelWidth, plotWidth } = layout;
  const pairs = pairCases(a, b);
  const values = pairs.flatMap((p) => [p.a?.stats.p50Us ?? 0, p.b?.stats.p50Us ?? 0]);
  const scale = logScale(values, labelWidth, labelWidth + plotWidth);
  const rowsTop = top + HEADING;
  const bottom = rowsTop + pairs.length * ROW;
  const parts = [
    text(10, top + 18, (b ?? a)!.title, { size: 14, bold: true }),
    ...axis(scale, rowsTop, bottom),
  ];
  pairs.forEach((p, i) => {
    const y = rowsTop + i * ROW;
    parts.push(text(labelWidth - 8, y + 16, p.name, { anchor: "end" }));
    const bar = (c: CaseResult | undefined, run: "a" | "b", dy: number) => {
      if (!c) return;
      const width = (scale.at(c.stats.p50Us) - labelWidth).toFixed(1);
      parts.push(
        `<rect data-case="${escapeXml(c.name)}" data-run="${run}" data-role="${c.role}" ` +
          `x="${labelWidth}" y="${y + dy}" width="${width}" height="10" ` +
          `fill="${ROLE_COLOURS[c.role]}"${run === "a" ? ' fill-opacity="0.4"' : ""}/>`,
      );
    };
    bar(p.a, "a", 3);
    bar(p.b, "b", 13);
    const end = Math.max(scale.at(p.a?.stats.p50Us ?? 0), scale.at(p.b?.stats.p50Us ?? 0));
    const change = p.a && p.b ? `${(p.b.stats.p50Us / p.a.stats.p50Us).toFixed(2)}×` : "—";
    parts.push(text(end + 6, y + 17, change, { fill: "#111827" }));
  });
  const key = legend(
    [[ROLE_COLOURS.coreshift + "66", "run a (pale)"], [ROLE_COLOURS.coreshift, "run b (solid)"]],
    labelWidth,
    bottom + 36,
    labelWidth + plotWidth + VALUE_SPACE,
  );
  parts.push(...key.parts);
  return { parts, height: key.lastY + FONT_PX - top };
}
