/**
 * A bar section as a chart panel: a bar per case at its p50 with a whisker to its p90, on a log
 * axis, coloured by role, the p50 written after the whisker.
 * @module
 */
import type { CaseRole, Section } from "../report.ts";
import { formatDuration, logScale } from "./scale.ts";
import { escapeXml, FONT_PX, ROLE_COLOURS, ROLE_NAMES, text, textWidth } from "./svg_text.ts";

/** Where a panel goes and how wide its parts are. */
export interface PanelLayout {
  /** Top of the panel, px. */
  readonly top: number;
  /** Width of the case labels' column; the plot starts after it. */
  readonly labelWidth: number;
  /** Width of the plot. */
  readonly plotWidth: number;
}

/** A panel: its SVG elements and how tall it is. */
export interface Panel {
  readonly parts: string[];
  readonly height: number;
}

/** Height of one case's row. */
export const ROW = 22;
/** Room after the plot for the value written after a whisker. */
export const VALUE_SPACE = 84;
const HEADING = 30;

/** The axis under a plot: a grid line and a label per decade. */
export function axis(
  scale: ReturnType<typeof logScale>,
  top: number,
  bottom: number,
): string[] {
  return scale.ticks.flatMap((t) => {
    const x = scale.at(t.us).toFixed(1);
    return [
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e5e7eb"/>`,
      text(Number(x), bottom + 14, t.label, { anchor: "middle", fill: "#4b5563" }),
    ];
  });
}

/** Height of one legend row. */
export const LEGEND_ROW = 20;

/**
 * A legend from `x` on the baseline `y`: a swatch and a name per entry, wrapped to a new row
 * before an entry would pass `right`. Returns its elements and the baseline of its last row.
 */
export function legend(
  entries: readonly [string, string][],
  x: number,
  y: number,
  right: number,
): { parts: string[]; lastY: number } {
  const parts: string[] = [];
  let at = x;
  let row = y;
  for (const [colour, name] of entries) {
    const width = 18 + textWidth(name);
    if (at > x && at + width > right) {
      at = x;
      row += LEGEND_ROW;
    }
    parts.push(
      `<rect x="${at}" y="${row - 10}" width="12" height="12" fill="${colour}"/>`,
      text(at + 18, row, name),
    );
    at += width + 22;
  }
  return { parts, lastY: row };
}

/** The roles of `section`'s cases, in legend order. */
export function rolesIn(section: Section): CaseRole[] {
  const order: CaseRole[] = ["floor", "baseline", "android", "coreshift"];
  return order.filter((role) => section.cases.some((c) => c.role === role));
}

/** `section` as a bar panel. */
export function barsPanel(section: Section, layout: PanelLayout): Panel {
  const { top, labelWidth, plotWidth } = layout;
  const plotLeft = labelWidth;
  const values = section.cases.flatMap((c) => [c.stats.p50Us, c.stats.p90Us]);
  const scale = logScale(values, plotLeft, plotLeft + plotWidth);
  const rowsTop = top + HEADING;
  const bottom = rowsTop + section.cases.length * ROW;
  const parts = [
    text(10, top + 18, section.title, { size: 14, bold: true }),
    ...axis(scale, rowsTop, bottom),
  ];
  section.cases.forEach((c, i) => {
    const y = rowsTop + i * ROW;
    const p50 = scale.at(c.stats.p50Us);
    const p90 = scale.at(c.stats.p90Us);
    parts.push(
      text(plotLeft - 8, y + 15, c.name, { anchor: "end" }),
      `<rect data-case="${escapeXml(c.name)}" data-role="${c.role}" x="${plotLeft}" y="${y + 4}" ` +
        `width="${(p50 - plotLeft).toFixed(1)}" height="14" fill="${ROLE_COLOURS[c.role]}"/>`,
      `<line x1="${p50.toFixed(1)}" y1="${y + 11}" x2="${p90.toFixed(1)}" y2="${y + 11}" ` +
        `stroke="#111827"/>`,
      text(p90 + 6, y + 15, formatDuration(c.stats.p50Us), { fill: "#111827" }),
    );
  });
  const key = legend(
    rolesIn(section).map((r) => [ROLE_COLOURS[r], ROLE_NAMES[r]]),
    plotLeft,
    bottom + 36,
    plotLeft + plotWidth + VALUE_SPACE,
  );
  parts.push(...key.parts);
  return { parts, height: key.lastY + FONT_PX - top };
}
