/**
 * Timing loops shared by the bench cases: one sample in µs per call, measured around the call.
 * @module
 */

/** Runs `once` `n` times; one sample (µs) per run. */
export function timed(n: number, once: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    once();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

/** Runs `once` `n` times, one after another; one sample (µs) per run. */
export async function timedAsync(n: number, once: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}
