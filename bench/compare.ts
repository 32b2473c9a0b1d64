/**
 * `coreshift bench --compare a.json b.json`: two reports side by side (devices or commits), each
 * case's p50 in both and b ÷ a, then each ratio and each limit in both. Reports of older schemas
 * are read too (validateReport brings them up to date).
 * @module
 */
import type { BenchReport } from "./report.ts";
import { formatGoal, formatLimitValue } from "./verdicts.ts";

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
  lines.push(
    ...sideBySide(
      "ratio",
      8,
      a.ratios,
      b.ratios,
      (r) => `${r.value.toFixed(2)}×`,
      (r) => formatGoal(r.target),
    ),
    ...sideBySide(
      "limit",
      11,
      a.limits,
      b.limits,
      (l) => formatLimitValue(l.value, l.unit),
      (l) => formatGoal(l.target, l.unit),
    ),
  );
  return lines.join("\n");
}

/** Items of both runs paired by label (a's order, then b's extras), with each run's figure. */
function sideBySide<T extends { readonly label: string }>(
  heading: string,
  width: number,
  a: readonly T[],
  b: readonly T[],
  figure: (item: T) => string,
  target: (item: T) => string,
): string[] {
  const labels = [...new Set([...a, ...b].map((x) => x.label))];
  if (!labels.length) return [];
  const lines = ["", `${heading.padEnd(60)}${"a".padStart(width)}${"b".padStart(width)}  target`];
  for (const label of labels) {
    const xa = a.find((x) => x.label === label);
    const xb = b.find((x) => x.label === label);
    const v = (x: T | undefined) => (x ? figure(x) : "—").padStart(width);
    lines.push(`${label.padEnd(60)}${v(xa)}${v(xb)}  ${target((xa ?? xb)!)}`);
  }
  return lines;
}
