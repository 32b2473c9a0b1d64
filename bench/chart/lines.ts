/**
 * A lines section as a chart panel: one line per spawner (`series`) through its p50 at each x
 * (the parent heap, MiB), on a log y axis, so a path that grows with the heap climbs and a flat
 * one stays level.
 * @module
 */
import type { CaseRole, Section } from "../report.ts";
import { legend, type Panel, type PanelLayout, VALUE_SPACE } from "./bars.ts";
import { logScale } from "./scale.ts";
import { escapeXml, FONT_PX, ROLE_COLOURS, text } from "./svg_text.ts";

const PLOT_HEIGHT = 240;
const HEADING = 30;
/** Extra colours for a role's second and third line (coreshift has three backends). */
const SHADES: Readonly<Record<CaseRole, readonly string[]>> = {
  floor: [ROLE_COLOURS.floor],
  baseline: [ROLE_COLOURS.baseline],
  android: [ROLE_COLOURS.android],
  coreshift: [ROLE_COLOURS.coreshift, "#0891b2", "#7c3aed", "#059669"],
};

/** `section` as a line panel. */
export function linesPanel(section: Section, layout: PanelLayout): Panel {
  const { top, labelWidth, plotWidth } = layout;
  const plotTop = top + HEADING + 8;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const scale = logScale(section.cases.map((c) => c.stats.p50Us), plotBottom, plotTop);
  const xs = [...new Set(section.cases.map((c) => c.x!))].sort((a, b) => a - b);
  const xAt = (x: number) =>
    labelWidth + 30 + (xs.length < 2 ? 0 : xs.indexOf(x) / (xs.length - 1)) * (plotWidth - 60);
  const parts = [text(10, top + 18, section.title, { size: 14, bold: true })];
  for (const t of scale.ticks) {
    const y = scale.at(t.us).toFixed(1);
    parts.push(
      `<line x1="${labelWidth}" y1="${y}" x2="${
        labelWidth + plotWidth
      }" y2="${y}" stroke="#e5e7eb"/>`,
      text(labelWidth - 8, Number(y) + 4, t.label, { anchor: "end", fill: "#4b5563" }),
    );
  }
  for (const x of xs) {
    parts.push(text(xAt(x), plotBottom + 18, `${x} MiB`, { anchor: "middle", fill: "#4b5563" }));
  }
  const series = [...new Set(section.cases.map((c) => c.series!))];
  const used: Partial<Record<CaseRole, number>> = {};
  const entries: [string, string][] = [];
  for (const name of series) {
    const cases = section.cases.filter((c) => c.series === name).sort((a, b) => a.x! - b.x!);
    const role = cases[0].role;
    const shades = SHADES[role];
    const colour = shades[(used[role] ?? 0) % shades.length];
    used[role] = (used[role] ?? 0) + 1;
    entries.push([colour, name]);
    const points = cases.map((c) =>
      `${xAt(c.x!).toFixed(1)},${scale.at(c.stats.p50Us).toFixed(1)}`
    );
    parts.push(
      `<polyline data-series="${escapeXml(name)}" points="${points.join(" ")}" fill="none" ` +
        `stroke="${colour}" stroke-width="2"/>`,
      ...cases.map((c) =>
        `<circle data-case="${escapeXml(c.name)}" data-role="${c.role}" cx="${
          xAt(c.x!).toFixed(1)
        }" ` +
        `cy="${scale.at(c.stats.p50Us).toFixed(1)}" r="4" fill="${colour}"/>`
      ),
    );
  }
  const key = legend(entries, labelWidth, plotBottom + 46, labelWidth + plotWidth + VALUE_SPACE);
  parts.push(...key.parts);
  return { parts, height: key.lastY + FONT_PX - top };
}
