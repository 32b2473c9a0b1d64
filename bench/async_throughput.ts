/**
 * The async API against `Deno.Command`, in one run with the cases interleaved round by round:
 *   - 64 concurrent no-op children: `Promise.all` over `spawnOffThread()` then `output()`, and
 *     over `spawn().output()`, vs over `new Deno.Command().output()` (all capture stdout and
 *     stderr);
 *   - spawn + capture of 1 MiB of stdout from a static writer (bench/children/writer.c), one at a time,
 *     through `spawn().output()` and (for comparison, blocking) `runSync`.
 * `coreshift bench` (bench/suite.ts) runs it and reports it.
 * @module
 */
import { hostPlatform, runSync, spawn, spawnOffThread } from "../mod.ts";
import { benchChildren } from "./children/locate.ts";
import { type LatencyStats, summarize } from "./stats.ts";

/** Children per batch in the concurrency case. */
export const BATCH = 64;
const MIB = 1024 * 1024;

/** One measured case: `run` returns one sample in µs. */
interface AsyncCase {
  readonly name: string;
  readonly run: () => Promise<number>;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return (performance.now() - t) * 1000;
}

function expectBytes(n: number, got: number, who: string): void {
  if (n !== got) throw new Error(`${who} captured ${got} bytes, expected ${n}`);
}

/** The cases, in report order. */
export function asyncCases(noop: string, writerArgv: readonly string[]): AsyncCase[] {
  const [writer, ...writerArgs] = writerArgv; // writes 1 MiB
  return [
    {
      name: `coreshift spawnOffThread, ${BATCH} concurrent`,
      run: () =>
        timed(() =>
          Promise.all(
            Array.from(
              { length: BATCH },
              async () => (await spawnOffThread({ program: noop })).output(),
            ),
          )
        ),
    },
    {
      name: `coreshift spawn, ${BATCH} concurrent`,
      run: () =>
        timed(() =>
          Promise.all(Array.from({ length: BATCH }, () => spawn({ program: noop }).output()))
        ),
    },
    {
      name: `Deno.Command output(), ${BATCH} concurrent`,
      run: () =>
        timed(() =>
          Promise.all(Array.from({ length: BATCH }, () => new Deno.Command(noop).output()))
        ),
    },
    {
      name: "coreshift spawn, 1 MiB capture",
      run: () =>
        timed(async () => {
          const out = await spawn({ program: writer, args: writerArgs, maxOutput: 2 * MIB })
            .output();
          expectBytes(MIB, out.stdout.length, "spawn");
        }),
    },
    {
      name: "coreshift runSync, 1 MiB capture",
      run: () =>
        timed(() => {
          const out = runSync({ program: writer, args: writerArgs, maxOutput: 2 * MIB });
          expectBytes(MIB, out.stdout.length, "runSync");
          return Promise.resolve();
        }),
    },
    {
      name: "Deno.Command output(), 1 MiB",
      run: () =>
        timed(async () => {
          const out = await new Deno.Command(writer, { args: writerArgs }).output();
          expectBytes(MIB, out.stdout.length, "Deno.Command");
        }),
    },
  ];
}

/** Results of one run. */
export interface AsyncReport {
  readonly platform: ReturnType<typeof hostPlatform>;
  readonly cases: readonly { readonly name: string; readonly stats: LatencyStats }[];
}

/**
 * Interleaved rounds run first and not kept (never more than the rounds kept, so a tiny run stays
 * tiny). The first batches of every case ran up to twice as slow here (Deno.Command's and ours
 * alike): worker threads and vfork stacks being created, code not yet optimized.
 */
export const WARM_UP_ROUNDS = 3;

/** Runs each case `rounds` times (after up to {@linkcode WARM_UP_ROUNDS}), interleaved. */
export async function measureAsync(
  rounds: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<AsyncReport> {
  const { noop, writer } = benchChildren();
  const cases = asyncCases(noop, writer(MIB));
  const samples = cases.map(() => [] as number[]);
  const warmUp = Math.min(WARM_UP_ROUNDS, rounds);
  for (let r = 0; r < warmUp; r++) for (const c of cases) await c.run();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await cases[i].run());
    onRound(r + 1, rounds);
  }
  return {
    platform: hostPlatform(),
    cases: cases.map((c, i) => ({ name: c.name, stats: summarize(samples[i]) })),
  };
}
