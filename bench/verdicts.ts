/**
 * Holding figures to goals: ratios of two p50s from one run, and absolute limits. A goal that
 * even the floor (standing in for coreshift's case) cannot meet on this machine is reported as
 * `floor-bound`, not `missed`: no Deno library could do better here.
 * @module
 */
import {
  type Limit,
  type Ratio,
  roleOf,
  type Section,
  type Target,
  type Verdict,
} from "./report.ts";

/** A ratio wanted: `of`/`to` (p50s), held to `op target` when both are given. */
export interface RatioSpec {
  /** What is compared, in words. */
  readonly label: string;
  /** The case whose p50 is divided. */
  readonly of: string;
  /** The case whose p50 divides. */
  readonly to: string;
  /** At or under, or at or over, the target; absent for a figure shown as is. */
  readonly op?: "<=" | ">=";
  /** The bound; absent for a figure shown as is. */
  readonly target?: number;
  /** A floor case to stand in for coreshift's side of the ratio: the best reachable here. */
  readonly bestFrom?: string;
  /** One of the few figures a user reads first. */
  readonly headline?: boolean;
}

/** A limit on one statistic of one case, e.g. the p99 of a timeout's lateness. */
export interface CaseLimitSpec {
  readonly label: string;
  readonly case: string;
  readonly stat: "p50Us" | "p90Us" | "p99Us";
  readonly op: "<=" | ">=";
  readonly target: number;
}

/** Whether `value` is within `target`. */
export function within(value: number, target: Target): boolean {
  return target.op === "<=" ? value <= target.value : value >= target.value;
}

/** Computes the ratios whose both cases were measured (the rest are left out). */
export function ratiosFor(sections: readonly Section[], specs: readonly RatioSpec[]): Ratio[] {
  const p50 = new Map(sections.flatMap((s) => s.cases.map((c) => [c.name, c.stats.p50Us])));
  return specs.flatMap((spec) => {
    const a = p50.get(spec.of);
    const b = p50.get(spec.to);
    if (a === undefined || b === undefined || b === 0) return [];
    const value = a / b;
    const target: Target | null = spec.op && spec.target !== undefined
      ? { op: spec.op, value: spec.target }
      : null;
    const floor = spec.bestFrom === undefined ? undefined : p50.get(spec.bestFrom);
    // The floor replaces whichever side is coreshift's.
    const best = floor === undefined || floor === 0
      ? undefined
      : roleOf(spec.of) === "coreshift"
      ? floor / b
      : a / floor;
    let verdict: Verdict = "info";
    if (target) {
      verdict = within(value, target)
        ? "met"
        : best !== undefined && !within(best, target)
        ? "floor-bound"
        : "missed";
    }
    return [{
      label: spec.label,
      of: spec.of,
      to: spec.to,
      value,
      target,
      verdict,
      headline: spec.headline ?? false,
      ...(best === undefined ? {} : { bestFrom: spec.bestFrom, best }),
    }];
  });
}

/** Holds `value` to `op target`. */
export function limit(
  label: string,
  value: number,
  unit: string,
  op: "<=" | ">=",
  target: number,
): Limit {
  const bound = { op, value: target };
  return { label, value, unit, target: bound, verdict: within(value, bound) ? "met" : "missed" };
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

/** A goal in words: `≤ 1.05×`, `≥ 16.0 MiB`; empty for a figure shown as is. */
export function formatGoal(target: Target | null, unit = "×"): string {
  if (!target) return "";
  const value = unit === "×" ? `${target.value}×` : formatLimitValue(target.value, unit);
  return `${target.op === "<=" ? "≤" : "≥"} ${value}`;
}

/** A limit's figure with its unit: MiB to one decimal, µs whole. */
export function formatLimitValue(value: number, unit: string): string {
  return `${value.toFixed(unit === "MiB" ? 1 : 0)} ${unit}`;
}
