/**
 * The async API against `Deno.Command`, in one run with the cases interleaved round by round:
 *   - 64 concurrent no-op children: `Promise.all` over `spawnAsync()` then `output()`, and
 *     over `spawn().output()`, vs over `new Deno.Command().output()` (all capture stdout and
 *     stderr);
 *   - spawn + capture of 1 MiB of stdout from a static writer (bench/spew.c), one at a time.
 * Ratios are of medians taken in this run.
 *
 *   deno run -A bench/async_throughput.ts [--rounds 15] [--json]
 * @module
 */
import { parseArgs } from "node:util";
import { hostPlatform, spawn, spawnAsync } from "../mod.ts";
import { benchChildren } from "./children.ts";
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
export function asyncCases(noop: string, spew: readonly string[]): AsyncCase[] {
  const [writer, ...writerArgs] = spew;
  return [
    {
      name: `coreshift spawnAsync, ${BATCH} concurrent`,
      run: () =>
        timed(() =>
          Promise.all(
            Array.from(
              { length: BATCH },
              async () => (await spawnAsync({ program: noop })).output(),
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

/** Runs each case `rounds` times (after one warm-up), interleaved. */
export async function measureAsync(
  rounds: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<AsyncReport> {
  const { noop, spew } = benchChildren();
  const cases = asyncCases(noop, spew);
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) await c.run();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await cases[i].run());
    onRound(r + 1, rounds);
  }
  return {
    platform: hostPlatform(),
    cases: cases.map((c, i) => ({ name: c.name, stats: summarize(samples[i]) })),
  };
}

/** The report as text, with throughput and the two ratios the targets are stated in. */
export function formatAsync(report: AsyncReport): string {
  const p50 = (name: string) => report.cases.find((c) => c.name === name)!.stats.p50Us;
  const lines = [`async API on ${report.platform.arch}, ${report.platform.libc}`, ""];
  for (const { name, stats } of report.cases) {
    lines.push(`${name.padEnd(40)} p50 ${(stats.p50Us / 1000).toFixed(2).padStart(8)} ms`);
  }
  const theirs = p50(`Deno.Command output(), ${BATCH} concurrent`);
  const perSec = (us: number) => (BATCH / (us / 1e6)).toFixed(0);
  lines.push("", `throughput, ${BATCH} concurrent (target ≥ 2× Deno.Command):`);
  for (const api of ["spawnAsync", "spawn"]) {
    const ours = p50(`coreshift ${api}, ${BATCH} concurrent`);
    lines.push(`  ${api.padEnd(10)} ${perSec(ours)}/s → ${(theirs / ours).toFixed(2)}×`);
  }
  lines.push(
    `  Deno.Command ${perSec(theirs)}/s`,
    `1 MiB capture: Deno.Command / coreshift = ${
      (p50("Deno.Command output(), 1 MiB") / p50("coreshift spawn, 1 MiB capture")).toFixed(2)
    }× (target ≥ 1.5×)`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "15" },
      json: { type: "boolean", default: false },
    },
  });
  const report = await measureAsync(Number(values.rounds));
  console.log(values.json ? JSON.stringify(report, null, 2) : formatAsync(report));
}
