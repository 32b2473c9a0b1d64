/**
 * `coreshift bench --md FILE`: a short markdown summary of a run to paste into an issue: the
 * device, the headline figures, every goal with its verdict, the limits, and the spawn sections
 * as text bar charts (log scale, so they survive any markdown renderer).
 * @module
 */
import type { BenchReport, Section } from "./report.ts";
import { formatDuration } from "./chart/scale.ts";
import { deviceLine } from "./report_text.ts";
import { formatGoal, formatLimitValue } from "./verdicts.ts";

const BAR_CHARS = 40;

/** `section` as a text bar chart: p50 on a log scale from the smallest to the largest. */
export function textChart(section: Section): string {
  const p50s = section.cases.map((c) => c.stats.p50Us);
  const lo = Math.log10(Math.max(1, Math.min(...p50s) / 2));
  const hi = Math.log10(Math.max(...p50s));
  const width = Math.max(...section.cases.map((c) => c.name.length));
  return section.cases.map((c) => {
    const share = hi > lo ? (Math.log10(c.stats.p50Us) - lo) / (hi - lo) : 1;
    const bar = "█".repeat(Math.max(1, Math.round(share * BAR_CHARS)));
    return `${c.name.padEnd(width)}  ${bar.padEnd(BAR_CHARS)}  ${formatDuration(c.stats.p50Us)}`;
  }).join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** The summary; `svgPath`, when the run also wrote a chart, is named for attaching. */
export function formatMarkdown(report: BenchReport, svgPath?: string): string {
  const verdict = (v: string) => v === "missed" ? "**missed**" : v === "info" ? "" : v;
  const lines = [
    `## coreshift bench on ${deviceLine(report)}`,
    "",
    `${report.mode} run, ${report.createdAt}` +
    (report.device.emulated ? ` — **emulated** (${report.device.emulator})` : "") + ".",
    `Android fork path: ${report.androidPath.how} (${report.androidPath.detail}).`,
    "",
    "| headline (p50 ratio, this run) | value | goal | verdict |",
    "|---|---:|---|---|",
    ...report.ratios.filter((r) => r.headline).map((r) =>
      `| ${cell(r.label)} | ${r.value.toFixed(2)}× | ${formatGoal(r.target)} | ${
        verdict(r.verdict)
      } |`
    ),
    "",
    "<details><summary>every goal and limit</summary>",
    "",
    "| goal | value | goal | verdict |",
    "|---|---:|---|---|",
    ...report.ratios.filter((r) => r.target && !r.headline).map((r) =>
      `| ${cell(r.label)} | ${r.value.toFixed(2)}× | ${formatGoal(r.target)} | ${
        verdict(r.verdict)
      } |`
    ),
    ...report.limits.map((l) =>
      `| ${cell(l.label)} | ${formatLimitValue(l.value, l.unit)} | ${
        formatGoal(l.target, l.unit)
      } | ${verdict(l.verdict)} |`
    ),
    "",
    "</details>",
  ];
  for (const id of ["spawn", "programs"]) {
    const section = report.sections.find((s) => s.id === id);
    if (!section) continue;
    lines.push(
      "",
      `### ${section.title} (p50, log scale)`,
      "",
      "```text",
      textChart(section),
      "```",
    );
  }
  if (svgPath) lines.push("", `Every section as a chart: attach \`${svgPath}\`.`);
  return lines.join("\n") + "\n";
}
