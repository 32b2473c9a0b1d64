/**
 * The bench report: one JSON document per run, the figures and the device they came from.
 *
 * Schema `coreshift-bench/2` (`/1` reports, which had no `limits`, are still read):
 * - `schema`, `createdAt` (ISO time), `mode` (`"quick"`, `"full"`, `"custom"`);
 * - `device`: see {@linkcode Device} (arch, libc, kernel, CPU, cores, Deno, Android, emulated);
 * - `notes`: what fell back (no compiler → `true` as the child, …);
 * - `sections[]`: `{ id, title, cases[] }`, each case `{ name, role, stats }` with `role` one of
 *   `"floor"` (C), `"baseline"` (Deno.Command), `"coreshift"`, and `stats` in µs
 *   (`samples, minUs, p50Us, p90Us, p99Us, meanUs, perSecond`);
 * - `ratios[]`: `{ label, of, to, value, target, met }`: `value` = p50 of case `of` ÷ p50 of
 *   case `to`, both from this run; `target` = `{ op: "<=" | ">=", value }`; optionally
 *   `bestFrom` and `best`: the floor case that stands in for `of` and its p50 ÷ `to`'s, the
 *   best any spawner in this process could reach (a target beyond it cannot be met here);
 * - `limits[]`: `{ label, value, unit, target, met }`: absolute figures held to a bound, e.g.
 *   timeout lateness p99 in µs, parent RSS growth in MiB.
 * @module
 */
import type { Device } from "./device.ts";
import type { LatencyStats } from "./stats.ts";

/** The schema tag; bumped when a field changes meaning. */
export const REPORT_SCHEMA = "coreshift-bench/2";
const OLDER_SCHEMAS: readonly string[] = ["coreshift-bench/1"];

/** Who a case's figure belongs to. */
export type CaseRole = "floor" | "baseline" | "coreshift";

/** One measured case. */
export interface CaseResult {
  /** The case, e.g. `coreshift vfork, stdio null`; the key that ratios and limits name. */
  readonly name: string;
  /** Whose figure: a C floor, a Deno.Command baseline, or coreshift. */
  readonly role: CaseRole;
  /** Its samples summarised, in µs. */
  readonly stats: LatencyStats;
}

/** A group of cases measured interleaved. */
export interface Section {
  /** Short key: `spawn`, `async`, `fds`, `heap`, `cancel`, `output`. */
  readonly id: string;
  /** What the section measures, as printed above its table. */
  readonly title: string;
  /** Its cases in report order. */
  readonly cases: readonly CaseResult[];
}

/** A ratio of two p50s from the same run, with the target it is held to. */
export interface Ratio {
  /** What is compared, in words. */
  readonly label: string;
  /** The case whose p50 is divided. */
  readonly of: string;
  /** The case whose p50 divides. */
  readonly to: string;
  /** p50 of `of` ÷ p50 of `to`. */
  readonly value: number;
  /** The bound the value is held to. */
  readonly target: { readonly op: "<=" | ">="; readonly value: number };
  /** Whether the value is within the target. */
  readonly met: boolean;
  /** The floor case standing in for `of`: what any spawner in this process could reach. */
  readonly bestFrom?: string;
  /** p50 of `bestFrom` ÷ p50 of `to`: the best reachable value of this ratio here. */
  readonly best?: number;
}

/** An absolute figure from this run held to a bound. */
export interface Limit {
  /** What is bounded, in words. */
  readonly label: string;
  /** The figure measured, in `unit`. */
  readonly value: number;
  /** `"µs"` for latencies, `"MiB"` for memory. */
  readonly unit: string;
  /** The bound the value is held to, in `unit`. */
  readonly target: { readonly op: "<=" | ">="; readonly value: number };
  /** Whether the value is within the target. */
  readonly met: boolean;
  /** The floor case standing in for `of`: what any spawner in this process could reach. */
  readonly bestFrom?: string;
  /** p50 of `bestFrom` ÷ p50 of `to`: the best reachable value of this ratio here. */
  readonly best?: number;
}

/** A limit on one statistic of one case, e.g. the p99 of a timeout's lateness. */
export interface CaseLimitSpec {
  readonly label: string;
  readonly case: string;
  readonly stat: "p50Us" | "p90Us" | "p99Us";
  readonly op: "<=" | ">=";
  readonly target: number;
}

/** A whole run. */
export interface BenchReport {
  /** {@linkcode REPORT_SCHEMA}. */
  readonly schema: typeof REPORT_SCHEMA;
  /** When the run finished, as an ISO 8601 time. */
  readonly createdAt: string;
  /** Which preset the sizes came from. */
  readonly mode: "quick" | "full" | "custom";
  /** The machine the figures belong to. */
  readonly device: Device;
  /** What fell back (no compiler, no peak-RSS reset), in words. */
  readonly notes: readonly string[];
  /** The measured cases, grouped as they were interleaved. */
  readonly sections: readonly Section[];
  /** Target ratios of two p50s from this run. */
  readonly ratios: readonly Ratio[];
  /** Absolute figures from this run held to a bound. */
  readonly limits: readonly Limit[];
}

/** The role a case name implies: `C …` floors, `Deno.Command …` baselines, the rest ours. */
export function roleOf(name: string): CaseRole {
  if (name.startsWith("C ") || name.startsWith("Deno FFI floor")) return "floor";
  if (name.startsWith("Deno.Command")) return "baseline";
  return "coreshift";
}

/** A ratio wanted: `of`/`to` (p50s) held to `op value`. */
export interface RatioSpec {
  /** What is compared, in words. */
  readonly label: string;
  /** The case whose p50 is divided. */
  readonly of: string;
  /** The case whose p50 divides. */
  readonly to: string;
  /** Whether the ratio must stay at or under, or at or over, the target. */
  readonly op: "<=" | ">=";
  /** The bound. */
  readonly target: number;
  /** A floor case to stand in for `of`, giving the best value any spawner could reach. */
  readonly bestFrom?: string;
}

/** Computes the ratios whose both cases were measured (the rest are left out). */
export function ratiosFor(sections: readonly Section[], specs: readonly RatioSpec[]): Ratio[] {
  const p50 = new Map(sections.flatMap((s) => s.cases.map((c) => [c.name, c.stats.p50Us])));
  return specs.flatMap((spec) => {
    const a = p50.get(spec.of);
    const b = p50.get(spec.to);
    if (a === undefined || b === undefined || b === 0) return [];
    const value = a / b;
    const floor = spec.bestFrom === undefined ? undefined : p50.get(spec.bestFrom);
    return [{
      label: spec.label,
      of: spec.of,
      to: spec.to,
      value,
      target: { op: spec.op, value: spec.target },
      met: spec.op === "<=" ? value <= spec.target : value >= spec.target,
      ...(floor === undefined ? {} : { bestFrom: spec.bestFrom, best: floor / b }),
    }];
  });
}

/** A limit's figure with its unit: MiB to one decimal, µs whole. */
export function formatLimitValue(value: number, unit: string): string {
  return `${value.toFixed(unit === "MiB" ? 1 : 0)} ${unit}`;
}

/** Holds `value` to `op target`. */
export function limit(
  label: string,
  value: number,
  unit: string,
  op: "<=" | ">=",
  target: number,
): Limit {
  return {
    label,
    value,
    unit,
    target: { op, value: target },
    met: op === "<=" ? value <= target : value >= target,
  };
}

/** The limits whose case was measured (the rest are left out), in µs. */
export function caseLimitsFor(
  sections: readonly Section[],
  specs: readonly CaseLimitSpec[],
): Limit[] {
  const stats = new Map(sections.flatMap((s) => s.cases.map((c) => [c.name, c.stats])));
  return specs.flatMap((spec) => {
    const s = stats.get(spec.case);
    return s ? [limit(spec.label, s[spec.stat], "µs", spec.op, spec.target)] : [];
  });
}

/**
 * Checks that `data` is a report this version can read; returns it typed, or throws an Error
 * that names the first field that is wrong.
 */
export function validateReport(data: unknown, source = "report"): BenchReport {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}; is it a coreshift bench --json report?`);
  };
  const obj = (v: unknown, at: string) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? v as Record<string, unknown>
      : fail(`${at} is not an object`);
  const arr = (v: unknown, at: string) => Array.isArray(v) ? v : fail(`${at} is not an array`);
  const num = (v: unknown, at: string) =>
    typeof v === "number" && Number.isFinite(v) ? v : fail(`${at} is not a number`);
  const str = (v: unknown, at: string) => typeof v === "string" ? v : fail(`${at} is not a string`);
  const r = obj(data, "the top level");
  const older = OLDER_SCHEMAS.includes(r.schema as string);
  if (r.schema !== REPORT_SCHEMA && !older) {
    fail(`schema is ${JSON.stringify(r.schema)}, not ${REPORT_SCHEMA}`);
  }
  str(r.createdAt, "createdAt");
  if (!["quick", "full", "custom"].includes(r.mode as string)) {
    fail("mode is not quick|full|custom");
  }
  const d = obj(r.device, "device");
  for (const k of ["arch", "libc", "libcVersion", "kernel", "deno"]) str(d[k], `device.${k}`);
  num(d.cores, "device.cores");
  if (typeof d.emulated !== "boolean") fail("device.emulated is not a boolean");
  arr(r.notes, "notes").forEach((n, i) => str(n, `notes[${i}]`));
  arr(r.sections, "sections").forEach((s, i) => {
    const section = obj(s, `sections[${i}]`);
    str(section.id, `sections[${i}].id`);
    str(section.title, `sections[${i}].title`);
    arr(section.cases, `sections[${i}].cases`).forEach((c, j) => {
      const at = `sections[${i}].cases[${j}]`;
      const kase = obj(c, at);
      str(kase.name, `${at}.name`);
      if (!["floor", "baseline", "coreshift"].includes(kase.role as string)) fail(`${at}.role`);
      const stats = obj(kase.stats, `${at}.stats`);
      for (const k of ["samples", "minUs", "p50Us", "p90Us", "p99Us", "meanUs", "perSecond"]) {
        num(stats[k], `${at}.stats.${k}`);
      }
    });
  });
  arr(r.ratios, "ratios").forEach((x, i) => {
    const ratio = obj(x, `ratios[${i}]`);
    for (const k of ["label", "of", "to"]) str(ratio[k], `ratios[${i}].${k}`);
    num(ratio.value, `ratios[${i}].value`);
    const target = obj(ratio.target, `ratios[${i}].target`);
    if (target.op !== "<=" && target.op !== ">=") fail(`ratios[${i}].target.op`);
    num(target.value, `ratios[${i}].target.value`);
    if (typeof ratio.met !== "boolean") fail(`ratios[${i}].met is not a boolean`);
    if (ratio.best !== undefined || ratio.bestFrom !== undefined) {
      num(ratio.best, `ratios[${i}].best`);
      str(ratio.bestFrom, `ratios[${i}].bestFrom`);
    }
  });
  if (older) return { ...r, limits: [] } as unknown as BenchReport;
  arr(r.limits, "limits").forEach((x, i) => {
    const l = obj(x, `limits[${i}]`);
    str(l.label, `limits[${i}].label`);
    str(l.unit, `limits[${i}].unit`);
    num(l.value, `limits[${i}].value`);
    const target = obj(l.target, `limits[${i}].target`);
    if (target.op !== "<=" && target.op !== ">=") fail(`limits[${i}].target.op`);
    num(target.value, `limits[${i}].target.value`);
    if (typeof l.met !== "boolean") fail(`limits[${i}].met is not a boolean`);
  });
  return data as BenchReport;
}

/** The report as a text table: one block per section, then the ratios against their targets. */
export function formatReport(report: BenchReport): string {
  const d = report.device;
  const lines = [
    `coreshift bench (${report.mode}) on ${d.os} ${d.arch}, ${d.libc} ${d.libcVersion}, ` +
    `kernel ${d.kernel}, ${d.cpuModel ?? "unknown CPU"} × ${d.cores}, Deno ${d.deno}`,
  ];
  if (d.android) {
    lines.push(`Android API ${d.android.api}, ${d.android.model ?? "?"} (${d.android.soc ?? "?"})`);
  }
  if (d.emulated) {
    lines.push(`EMULATED (${d.emulator}): timings describe the emulator, not the CPU`);
  }
  lines.push(...report.notes.map((n) => `note: ${n}`));
  for (const section of report.sections) {
    lines.push("", section.title);
    lines.push(
      `  ${"case".padEnd(44)}${
        ["min", "p50", "p90", "p99", "mean"].map((h) => h.padStart(9)).join("")
      }` +
        "  µs   /s",
    );
    for (const c of section.cases) {
      const s = c.stats;
      const cols = [s.minUs, s.p50Us, s.p90Us, s.p99Us, s.meanUs].map((v) =>
        v.toFixed(0).padStart(9)
      );
      lines.push(`  ${c.name.padEnd(44)}${cols.join("")}  ${s.perSecond.toFixed(0).padStart(7)}`);
    }
  }
  if (report.ratios.length) {
    lines.push("", "ratios of p50 in this run:");
    for (const r of report.ratios) {
      const mark = r.met ? "met" : "MISSED";
      const best = r.best === undefined ? "" : `  (best reachable here ${r.best.toFixed(2)}×)`;
      lines.push(
        `  ${r.label.padEnd(60)}${r.value.toFixed(2).padStart(7)}×  target ${r.target.op} ${
          r.target.value.toFixed(2)
        }×  ${mark}${best}`,
      );
    }
  }
  if (report.limits.length) {
    lines.push("", "limits:");
    for (const l of report.limits) {
      const fmt = (v: number) => formatLimitValue(v, l.unit);
      lines.push(
        `  ${l.label.padEnd(60)}${fmt(l.value).padStart(11)}  target ${l.target.op} ${
          fmt(l.target.value)
        }  ${l.met ? "met" : "MISSED"}`,
      );
    }
  }
  return lines.join("\n");
}
