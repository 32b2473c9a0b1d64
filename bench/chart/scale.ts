/**
 * The log scale every chart draws on: spawn latencies span three decades (a 50 µs floor, a
 * 40 ms fork at a large heap), and on a linear axis the slow bars flatten the rest into a few
 * pixels. Ticks fall on decades and read as durations.
 * @module
 */

/** A log₁₀ scale from `lo` to `hi` (µs, both decades) onto pixels `from`…`to`. */
export interface LogScale {
  readonly lo: number;
  readonly hi: number;
  /** The pixel of `us`, clamped to the scale's ends. */
  readonly at: (us: number) => number;
  /** The decades from `lo` to `hi`, each with its label. */
  readonly ticks: readonly { readonly us: number; readonly label: string }[];
}

/** The decade at or below `v` (at least 1 µs). */
function decadeBelow(v: number): number {
  return 10 ** Math.floor(Math.log10(Math.max(v, 1)));
}

/** The decade at or above `v`. */
function decadeAbove(v: number): number {
  return 10 ** Math.ceil(Math.log10(Math.max(v, 1)));
}

/** A duration in µs as a tick or a value reads it: `50 µs`, `1.2 ms`, `3 s`. */
export function formatDuration(us: number): string {
  if (us < 1000) return `${us < 10 ? us.toFixed(1) : us.toFixed(0)} µs`;
  if (us < 1e6) return `${trim(us / 1000)} ms`;
  return `${trim(us / 1e6)} s`;
}

function trim(v: number): string {
  return v < 10 ? v.toFixed(1).replace(/\.0$/, "") : v.toFixed(0);
}

/** A scale covering every value in `values` (µs) onto `from`…`to`. */
export function logScale(values: readonly number[], from: number, to: number): LogScale {
  const positive = values.filter((v) => v > 0);
  if (!positive.length) positive.push(10);
  // Half the smallest value still gets its own stretch of axis, so the fastest bar is visible.
  const lo = decadeBelow(Math.min(...positive) / 2);
  let hi = decadeAbove(Math.max(...positive, 1));
  if (hi <= lo) hi = lo * 10;
  const span = Math.log10(hi) - Math.log10(lo);
  const at = (us: number) => {
    const t = (Math.log10(Math.min(Math.max(us, lo), hi)) - Math.log10(lo)) / span;
    return from + t * (to - from);
  };
  const ticks = [];
  for (let us = lo; us <= hi * 1.0001; us *= 10) ticks.push({ us, label: formatDuration(us) });
  return { lo, hi, at, ticks };
}
