/**
 * `coreshift bench [--quick]`: the bench suite's two one-run comparisons, printed as text.
 * @module
 */
import { parseArgs } from "node:util";
import { formatAsync, measureAsync } from "../bench/async_throughput.ts";
import { formatSpawnLatency, measureSpawnLatency } from "../bench/spawn_latency.ts";
import { printError } from "./style.ts";

/** `coreshift bench --help`. */
export const BENCH_HELP = `usage: coreshift bench [--quick]

Spawn + wait latency against a C floor and Deno.Command, then async throughput, in one run with
the cases interleaved. --quick takes a few seconds instead of a minute (and is noisier).
`;

/** Runs `coreshift bench`; returns the exit code. */
export async function benchCommand(args: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: { quick: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (e) {
    printError("bench", `${(e as Error).message} (see coreshift bench --help)`);
    return 2;
  }
  if (values.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  const [rounds, perRound, asyncRounds] = values.quick ? [3, 10, 3] : [20, 50, 15];
  console.log(formatSpawnLatency(await measureSpawnLatency(rounds, perRound)));
  console.log();
  console.log(formatAsync(await measureAsync(asyncRounds)));
  return 0;
}
