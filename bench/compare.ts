/**
 * `coreshift bench --compare a.json b.json`: two reports side by side (devices or commits), each
 * case's p50 in both and b ÷ a, then each target ratio and each limit in both.
 * @module
 */
import type { BenchReport } from "./report.ts";

/** One case in both runs. */
export interface ComparedCase {
  /** The section id both runs share. */
  readonly section: string;
  /** The case name. */
  readonly name: string;
  /** p50 in run a (µs), or null when a lacks the case. */
  readonly a: number | null;
  /** p50 in run b (µs), or null when b lacks the case. */
  readonly b: number | null;
  /** b ÷ a of the p50s, or null when either run lacks the case. */
  readonly change: number | null;
}

/** Pairs cases by section and name, in a's order, then b's extra cases. */
export function compareReports(a: BenchReport, b: BenchReport): ComparedCase[] {
  const index = (r: BenchReport) =>
    new Map(r.sections.flatMap((s) => s.cases.map((c) => [`${s.id}\0${c.name}`, c.stats.p50Us])));
  const pa = index(a);
  const pb = index(b);
  const keys = [...new Set([...pa.keys(), ...pb.keys()])];
  return keys.map((key) => {
    const [section, name] = key.split("\0");
    const x = pa.get(key) ?? null;
    const y = pb.get(key) ?? null;
    return { section, name, a: x, b: y, change: x && y ? y / x : null };
  });
}

const device = (r: BenchReport) =>
  `${r.device.arch} ${r.device.libc}, ${r.device.cpuModel ?? "?"}${
    r.device.emulated ? " (emulated)" : ""
  }, ${r.createdAt}`;

/** The comparison as text. */
export function formatComparison(a: BenchReport, b: BenchReport): string {
  const us = (v: number | null) => v === null ? "—" : v.toFixed(0);
  const lines = [
    `a: ${device(a)}`,
    `b: ${device(b)}`,
    "",
    `${"case (p50 µs)".padEnd(46)}${"a".padStart(10)}${"b".padStart(10)}${"b ÷ a".padStart(9)}`,
  ];
  for (const row of compareReports(a, b)) {
    const change = row.change === null ? "—" : `${row.change.toFixed(2)}×`;
    lines.push(
      `${row.name.padEnd(46)}${us(row.a).padStart(10)}${us(row.b).padStart(10)}${
        change.padStart(9)
      }`,
    );
  }
  const labels = [...new Set([...a.ratios, ...b.ratios].map((r) => r.label))];
  if (labels.length) {
    lines.push("", `${"ratio".padEnd(60)}${"a".padStart(8)}${"b".padStart(8)}  target`);
  }
  for (const label of labels) {
    const ra = a.ratios.find((r) => r.label === label);
    const rb = b.ratios.find((r) => r.label === label);
    const v = (r: typeof ra) => r ? `${r.value.toFixed(2)}×` : "—";
    const t = ra ?? rb!;
    lines.push(
      `${label.padEnd(60)}${v(ra).padStart(8)}${
        v(rb).padStart(8)
      }  ${t.target.op} ${t.target.value}×`,
    );
  }
  const limitLabels = [...new Set([...a.limits, ...b.limits].map((l) => l.label))];
  if (limitLabels.length) {
    lines.push("", `${"limit".padEnd(60)}${"a".padStart(11)}${"b".padStart(11)}  target`);
  }
  for (const label of limitLabels) {
    const la = a.limits.find((l) => l.label === label);
    const lb = b.limits.find((l) => l.label === label);
    const t = la ?? lb!;
    const v = (l: typeof la) => l ? `${l.value.toFixed(l.unit === "MiB" ? 1 : 0)} ${l.unit}` : "—";
    lines.push(
      `${label.padEnd(60)}${v(la).padStart(11)}${
        v(lb).padStart(11)
      }  ${t.target.op} ${t.target.value} ${t.unit}`,
    );
  }
  return lines.join("\n");
}
