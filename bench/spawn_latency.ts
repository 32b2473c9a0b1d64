/**
 * Spawn + wait latency of the static no-op child: the C floors, the Deno FFI floors, every
 * coreshift backend and entry point, `Deno.Command` as it runs here and as it runs on Android
 * (the fork path), in one run, cases interleaved round by round so machine noise hits all of
 * them alike. `coreshift bench` (bench/suite.ts) runs it and reports it.
 * @module
 */
import { Command, runSync, spawn } from "../mod.ts";
import type { AndroidPath } from "./android_path/runner.ts";
import { ffiFloorCases } from "./ffi_floor.ts";
import { type BenchCase, interleave } from "./interleave.ts";
import type { LatencyStats } from "./stats.ts";
import { timed, timedAsync } from "./timing.ts";

/** The Android-path case of this section. */
export const ANDROID_PATH_CASE = "Deno.Command outputSync, piped, Android fork path";

function cFloor(floor: string, mode: string, program: string): BenchCase["run"] {
  return (n) => {
    const out = new Deno.Command(floor, { args: [mode, String(n), program] }).outputSync();
    if (!out.success) throw new Error(`C floor failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout).trim().split("\n").map((ns) => Number(ns) / 1000);
  };
}

/** The cases, in report order. */
export function spawnCases(
  noop: string,
  floor: string | null,
  android: AndroidPath | null = null,
): BenchCase[] {
  const cases: BenchCase[] = [];
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
  const run = android?.run;
  if (run) {
    cases.push({
      name: ANDROID_PATH_CASE,
      run: (n) => run([noop], { heapMiB: 0, n, piped: true }),
    });
  }
  return cases;
}

/** Runs every case `rounds` times, `perRound` spawns each time, interleaved. */
export function measureSpawnLatency(
  children: { readonly noop: string; readonly floor: string | null },
  android: AndroidPath,
  rounds: number,
  perRound: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<{ name: string; stats: LatencyStats }[]> {
  const cases = spawnCases(children.noop, children.floor, android);
  return interleave(cases, { rounds, perRound, warmUp: Math.min(perRound, 20) }, onRound);
}
