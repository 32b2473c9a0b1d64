/**
 * The bench report: one JSON document per run, the figures and the device they came from.
 *
 * Schema `coreshift-bench/3` (`/1` and `/2` reports are still read, see report_validate.ts):
 * - `schema`, `createdAt` (ISO time), `mode` (`"quick"`, `"full"`, `"custom"`);
 * - `device`: see {@linkcode Device} (arch, libc, kernel, CPU, cores, Deno, Android, emulated);
 * - `androidPath`: `{ how, detail }`: how the "Android fork path" baseline was measured
 *   (`preload` on glibc, `android` as is, `none` when it could not be) and checked;
 * - `notes`: what fell back (no prebuilt children, no compiler → no C floor, …);
 * - `sections[]`: `{ id, title, chart, cases[] }` with `chart` `"bars"` or `"lines"`; each case
 *   `{ name, role, stats }`, `role` one of `"floor"` (C or the Deno FFI floor), `"baseline"`
 *   (Deno.Command here), `"android"` (Deno.Command on Android's fork path), `"coreshift"`;
 *   `stats` in µs (`samples, minUs, p50Us, p90Us, p99Us, meanUs, perSecond`); a case of a
 *   `lines` section also has `series` (its line) and `x` (its point on the x axis);
 * - `ratios[]`: `{ label, of, to, value, target, verdict, headline }`: `value` = p50 of `of` ÷
 *   p50 of `to`, both from this run; `target` = `{ op: "<=" | ">=", value }` for a goal, null
 *   for a figure shown as is; `verdict` `"met"`, `"missed"`, `"floor-bound"` (missed, and so does
 *   the floor standing in for coreshift's case: no Deno library could meet it here) or `"info"`;
 *   optionally `bestFrom` and `best`: that floor case and the ratio it gives;
 * - `limits[]`: `{ label, value, unit, target, verdict }`: absolute figures held to a bound, e.g.
 *   timeout lateness p99 in µs, parent RSS growth in MiB.
 * @module
 */
import type { Device } from "./device.ts";
import type { LatencyStats } from "./stats.ts";

/** The schema tag; bumped when a field changes meaning. */
export const REPORT_SCHEMA = "coreshift-bench/3";

/** Who a case's figure belongs to. */
export type CaseRole = "floor" | "baseline" | "android" | "coreshift";

/** One measured case. */
export interface CaseResult {
  /** The case, e.g. `coreshift vfork, stdio null`; the key that ratios and limits name. */
  readonly name: string;
  /** Whose figure: a floor, Deno.Command here or on Android's path, or coreshift. */
  readonly role: CaseRole;
  /** Its samples summarised, in µs. */
  readonly stats: LatencyStats;
  /** In a `lines` section: the line this case is a point of. */
  readonly series?: string;
  /** In a `lines` section: the case's x (e.g. the heap in MiB). */
  readonly x?: number;
}

/** A group of cases measured interleaved. */
export interface Section {
  /** Short key: `spawn`, `programs`, `async`, `fds`, `heap`, `cancel`, `output`. */
  readonly id: string;
  /** What the section measures, as printed above its table. */
  readonly title: string;
  /** How its chart draws it: a bar per case, or a line per series. */
  readonly chart: "bars" | "lines";
  /** Its cases in report order. */
  readonly cases: readonly CaseResult[];
}

/** How a figure stands against its bound. */
export type Verdict = "met" | "missed" | "floor-bound" | "info";

/** A bound: at or under (`<=`), or at or over (`>=`), `value`. */
export interface Target {
  /** At or under (`<=`), or at or over (`>=`). */
  readonly op: "<=" | ">=";
  /** The bound itself, in the figure's unit. */
  readonly value: number;
}

/** A ratio of two p50s from the same run, with the goal it is held to, if any. */
export interface Ratio {
  /** What is compared, in words. */
  readonly label: string;
  /** The case whose p50 is divided. */
  readonly of: string;
  /** The case whose p50 divides. */
  readonly to: string;
  /** p50 of `of` ÷ p50 of `to`. */
  readonly value: number;
  /** The goal, or null for a figure shown as is. */
  readonly target: Target | null;
  /** Met, missed, out of the floor's reach too, or shown as is. */
  readonly verdict: Verdict;
  /** One of the few figures a user reads first. */
  readonly headline: boolean;
  /** The floor case standing in for coreshift's side: what any spawner here could reach. */
  readonly bestFrom?: string;
  /** The ratio with `bestFrom` in place of coreshift's case. */
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
  readonly target: Target;
  /** Met or missed. */
  readonly verdict: "met" | "missed";
}

/** How the "Android fork path" cases were measured, or why they were not. */
export interface AndroidPathInfo {
  /** `preload`: glibc made to take it; `android`: this is Android; `none`: not measured. */
  readonly how: "preload" | "android" | "none";
  /** In words: how it was arranged and checked, or why it could not be. */
  readonly detail: string;
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
  /** How the Android-path baseline was measured. */
  readonly androidPath: AndroidPathInfo;
  /** What fell back, in words. */
  readonly notes: readonly string[];
  /** The measured cases, grouped as they were interleaved. */
  readonly sections: readonly Section[];
  /** Ratios of two p50s from this run: the goals and the figures shown as is. */
  readonly ratios: readonly Ratio[];
  /** Absolute figures from this run held to a bound. */
  readonly limits: readonly Limit[];
}

/**
 * The role a case name implies: `C …` and `Deno FFI floor …` are floors, `… Android fork path…`
 * the Android baseline, `Deno.Command …` the baseline here, the rest coreshift's.
 */
export function roleOf(name: string): CaseRole {
  if (name.startsWith("C ") || name.startsWith("Deno FFI floor")) return "floor";
  if (name.includes("Android fork path")) return "android";
  if (name.startsWith("Deno.Command")) return "baseline";
  return "coreshift";
}
