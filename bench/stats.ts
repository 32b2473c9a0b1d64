/**
 * Summary statistics for latency samples.
 * @module
 */

/** Summary of one case's samples, in µs. */
export interface LatencyStats {
  /** How many samples were taken. */
  readonly samples: number;
  /** The fastest sample. */
  readonly minUs: number;
  /** The median (nearest rank). */
  readonly p50Us: number;
  /** The 90th percentile (nearest rank). */
  readonly p90Us: number;
  /** The 99th percentile (nearest rank). */
  readonly p99Us: number;
  /** The arithmetic mean. */
  readonly meanUs: number;
  /** 1e6 / mean. */
  readonly perSecond: number;
}

/** Summarises `samplesUs` (nearest-rank percentiles). */
export function summarize(samplesUs: readonly number[]): LatencyStats {
  if (samplesUs.length === 0) throw new Error("no samples to summarise");
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    samples: sorted.length,
    minUs: sorted[0],
    p50Us: rank(0.5),
    p90Us: rank(0.9),
    p99Us: rank(0.99),
    meanUs: mean,
    perSecond: 1e6 / mean,
  };
}
