/**
 * `coreshift bench [--quick]`: the bench suite's two one-run comparisons, printed as text.
 * @module
 */
import { formatAsync, measureAsync } from "../bench/async_throughput.ts";
import { formatSpawnLatency, measureSpawnLatency } from "../bench/spawn_latency.ts";
import { parseFlags } from "./flags.ts";

/** `coreshift bench --help`. */
export const BENCH_HELP = `usage: coreshift bench [--quick]

Spawn + wait latency against a C floor and Deno.Command, then async throughput, in one run with
the cases interleaved. --quick takes a few seconds instead of a minute (and is noisier).
`;

/** Runs `coreshift bench`; returns the exit code. */
export async function benchCommand(args: readonly string[]): Promise<number> {
  const values = parseFlags("bench", args, { quick: { type: "boolean" } }, BENCH_HELP);
  if (typeof values === "number") return values;
  const [rounds, perRound, asyncRounds] = values.quick ? [3, 10, 3] : [20, 50, 15];
  console.log(formatSpawnLatency(await measureSpawnLatency(rounds, perRound)));
  console.log();
  console.log(formatAsync(await measureAsync(asyncRounds)));
  return 0;
}
