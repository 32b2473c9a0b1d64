/**
 * The measuring loop most sections share: every case warmed up once, then `rounds` rounds in
 * which each case takes `perRound` samples in turn, so drift of the machine (a noisy neighbour,
 * a frequency step) falls on every case alike instead of on whichever ran last.
 * @module
 */
import { type LatencyStats, summarize } from "./stats.ts";

/** One measured case. */
export interface BenchCase {
  /** The case's name in the report. */
  readonly name: string;
  /** Takes `n` samples (µs), one per spawn. */
  readonly run: (n: number) => number[] | Promise<number[]>;
}

/** How many samples to take. */
export interface InterleaveSize {
  readonly rounds: number;
  readonly perRound: number;
  /** Untimed samples per case before the first round (JIT, page cache). */
  readonly warmUp: number;
}

/** Runs `cases` interleaved round by round; `onRound` hears each finished round. */
export async function interleave(
  cases: readonly BenchCase[],
  size: InterleaveSize,
  onRound: (done: number, total: number) => void = () => {},
): Promise<{ name: string; stats: LatencyStats }[]> {
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) await c.run(size.warmUp);
  for (let r = 0; r < size.rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(...await cases[i].run(size.perRound));
    onRound(r + 1, size.rounds);
  }
  return cases.map((c, i) => ({ name: c.name, stats: summarize(samples[i]) }));
}
