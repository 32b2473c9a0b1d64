/**
 * Spawn + wait latency of a no-op child: coreshift's posix_spawn backend against the C floor
 * and `Deno.Command`, in one run, cases interleaved round by round so machine noise hits all
 * of them alike. `coreshift bench` (bench/suite.ts) runs it and reports it.
 * @module
 */
import { Command, hostPlatform, runSync, spawn } from "../mod.ts";
import { benchChildren } from "./children/locate.ts";
import { ffiFloorCases } from "./ffi_floor.ts";
import { type LatencyStats, summarize } from "./stats.ts";
import { timed, timedAsync } from "./timing.ts";

/** One measured case. */
interface Case {
  readonly name: string;
  /** Runs `n` spawns and returns one sample (µs) per spawn. */
  readonly run: (n: number) => number[] | Promise<number[]>;
}

function cFloor(floor: string, mode: string, program: string): Case["run"] {
  return (n) => {
    const out = new Deno.Command(floor, { args: [mode, String(n), program] }).outputSync();
    if (!out.success) throw new Error(`C floor failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout).trim().split("\n").map((ns) => Number(ns) / 1000);
  };
}

/** The cases, in report order. */
export function spawnCases(noop: string, floor: string | null): Case[] {
  const cases: Case[] = [];
  if (floor) {
    cases.push({ name: "C posix_spawn floor", run: cFloor(floor, "posix_spawn", noop) });
    cases.push({ name: "C vfork+exec floor", run: cFloor(floor, "vfork", noop) });
  }
  cases.push(...ffiFloorCases(noop));
  const nullIo = { stdout: "null", stderr: "null" } as const;
  for (const backend of ["vfork", "posixSpawn", "fork"] as const) {
    cases.push({
      name: `coreshift ${backend}, stdio null`,
      run: (n) => timed(n, () => runSync({ program: noop, backend, ...nullIo })),
    });
  }
  cases.push(
    {
      name: "coreshift vfork, capture",
      run: (n) => timed(n, () => runSync({ program: noop, backend: "vfork" })),
    },
    {
      name: "coreshift posixSpawn, capture",
      run: (n) => timed(n, () => runSync({ program: noop, backend: "posixSpawn" })),
    },
    {
      name: "coreshift spawn().output(), capture",
      run: (n) => timedAsync(n, () => spawn({ program: noop, backend: "vfork" }).output()),
    },
    {
      name: "coreshift Command outputSync, piped",
      run: (n) => timed(n, () => new Command(noop, { backend: "vfork" }).outputSync()),
    },
    {
      name: "coreshift Command output(), piped",
      run: (n) => timedAsync(n, () => new Command(noop, { backend: "vfork" }).output()),
    },
    {
      name: "Deno.Command outputSync, stdio null",
      run: (n) => timed(n, () => new Deno.Command(noop, nullIo).outputSync()),
    },
    {
      name: "Deno.Command outputSync, piped",
      run: (n) => timed(n, () => new Deno.Command(noop).outputSync()),
    },
    {
      name: "Deno.Command output(), piped",
      run: (n) => timedAsync(n, () => new Deno.Command(noop).output()),
    },
  );
  return cases;
}

/** Results of one run. */
export interface SpawnLatencyReport {
  readonly platform: ReturnType<typeof hostPlatform>;
  readonly noop: string;
  readonly notes: readonly string[];
  readonly cases: readonly { readonly name: string; readonly stats: LatencyStats }[];
}

/** Runs every case `rounds` times, `perRound` spawns each time, interleaved. */
export async function measureSpawnLatency(
  rounds: number,
  perRound: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<SpawnLatencyReport> {
  const { noop, floor, notes } = benchChildren();
  const cases = spawnCases(noop, floor);
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) await c.run(Math.min(perRound, 20)); // warm-up: JIT, page cache
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(...await cases[i].run(perRound));
    onRound(r + 1, rounds);
  }
  return {
    platform: hostPlatform(),
    noop,
    notes,
    cases: cases.map((c, i) => ({ name: c.name, stats: summarize(samples[i]) })),
  };
}
