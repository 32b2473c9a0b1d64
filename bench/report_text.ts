/**
 * The report as text: the device, the headline figures a user acts on, one table per section,
 * then every goal with its verdict, the figures shown as is, and the limits.
 * @module
 */
import type { BenchReport, Ratio } from "./report.ts";
import { formatGoal, formatLimitValue } from "./verdicts.ts";

/** The device in one line, as every view of a report opens. */
export function deviceLine(report: BenchReport): string {
  const d = report.device;
  return `${d.os} ${d.arch}, ${d.libc} ${d.libcVersion}, kernel ${d.kernel}, ` +
    `${d.cpuModel ?? "unknown CPU"} × ${d.cores}, Deno ${d.deno}`;
}

/** A ratio's value and, for a goal, its target and verdict, e.g. `4.10×  ≥ 5×  MISSED`. */
export function verdictText(r: Ratio): string {
  const value = `${r.value.toFixed(2)}×`;
  if (!r.target) return value;
  const goal = `goal ${formatGoal(r.target)}`;
  const word = r.verdict === "met"
    ? "met"
    : r.verdict === "floor-bound"
    ? `beyond the floor here (it reaches ${r.best!.toFixed(2)}×)`
    : "MISSED";
  return `${value}  ${goal}  ${word}`;
}

/** The report as a text table. */
export function formatReport(report: BenchReport): string {
  const d = report.device;
  const lines = [`coreshift bench (${report.mode}) on ${deviceLine(report)}`];
  if (d.android) {
    lines.push(`Android API ${d.android.api}, ${d.android.model ?? "?"} (${d.android.soc ?? "?"})`);
  }
  if (d.emulated) {
    lines.push(`EMULATED (${d.emulator}): timings describe the emulator, not the CPU`);
  }
  lines.push(`Android fork path: ${report.androidPath.how}: ${report.androidPath.detail}`);
  lines.push(...report.notes.map((n) => `note: ${n}`));
  const headlines = report.ratios.filter((r) => r.headline);
  if (headlines.length) {
    lines.push("", "headline (p50 ratios, this run):");
    for (const r of headlines) lines.push(`  ${r.label.padEnd(70)}${verdictText(r)}`);
  }
  for (const section of report.sections) {
    lines.push("", section.title);
    lines.push(
      `  ${"case".padEnd(56)}${
        ["min", "p50", "p90", "p99", "mean"].map((h) => h.padStart(9)).join("")
      }` +
        "  µs   /s",
    );
    for (const c of section.cases) {
      const s = c.stats;
      const cols = [s.minUs, s.p50Us, s.p90Us, s.p99Us, s.meanUs].map((v) =>
        v.toFixed(0).padStart(9)
      );
      lines.push(`  ${c.name.padEnd(56)}${cols.join("")}  ${s.perSecond.toFixed(0).padStart(7)}`);
    }
  }
  const goals = report.ratios.filter((r) => r.target && !r.headline);
  if (goals.length) {
    lines.push("", "goals (ratios of p50s in this run):");
    for (const r of goals) lines.push(`  ${r.label.padEnd(70)}${verdictText(r)}`);
  }
  const shown = report.ratios.filter((r) => !r.target && !r.headline);
  if (shown.length) {
    lines.push("", "more ratios (shown as is):");
    for (const r of shown) lines.push(`  ${r.label.padEnd(70)}${verdictText(r)}`);
  }
  if (report.limits.length) {
    lines.push("", "limits:");
    for (const l of report.limits) {
      const fmt = (v: number) => formatLimitValue(v, l.unit);
      lines.push(
        `  ${l.label.padEnd(70)}${fmt(l.value).padStart(11)}  goal ${
          formatGoal(l.target, l.unit)
        }  ${l.verdict === "met" ? "met" : "MISSED"}`,
      );
    }
  }
  return lines.join("\n");
}
