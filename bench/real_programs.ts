/**
 * Spawn + wait of real, dynamically linked programs from PATH (`true`, `sh -c :`), stdio null,
 * beside the static no-op: what a user's own commands cost. On glibc the child's exec and its
 * dynamic loader take most of a sample, for coreshift and Deno.Command alike; the fork path
 * still pays for copying the parent.
 * @module
 */
import { Command, runSync } from "../mod.ts";
import type { AndroidPath } from "./android_path/runner.ts";
import { type BenchCase, interleave } from "./interleave.ts";
import type { LatencyStats } from "./stats.ts";
import { timed } from "./timing.ts";

/** The programs, by the label their case names carry. */
export const REAL_PROGRAMS: readonly { readonly label: string; readonly argv: string[] }[] = [
  { label: "true", argv: ["true"] },
  { label: "sh -c :", argv: ["sh", "-c", ":"] },
];

/** A case's name: who spawns, and which program. */
export function programCaseName(who: string, label: string): string {
  return `${who}, ${label}`;
}

/** The Android path's case for the program `label`. */
export function androidPathCaseName(label: string): string {
  return `Deno.Command outputSync, ${label}, Android fork path`;
}

/** The cases, in report order: per program, each backend, Command, Deno.Command, Android's. */
export function programCases(android: AndroidPath | null): BenchCase[] {
  const io = { stdout: "null", stderr: "null" } as const;
  return REAL_PROGRAMS.flatMap(({ label, argv }) => {
    const [program, ...args] = argv;
    const cases: BenchCase[] = (["vfork", "posixSpawn", "fork"] as const).map((backend) => ({
      name: programCaseName(`coreshift ${backend}`, label),
      run: (n: number) => timed(n, () => runSync({ program, args, backend, ...io })),
    }));
    cases.push(
      {
        name: programCaseName("coreshift Command outputSync", label),
        run: (n) => timed(n, () => new Command(program, { args, ...io }).outputSync()),
      },
      {
        name: programCaseName("Deno.Command outputSync", label),
        run: (n) => timed(n, () => new Deno.Command(program, { args, ...io }).outputSync()),
      },
    );
    const run = android?.run;
    if (run) {
      cases.push({
        name: androidPathCaseName(label),
        run: (n) => run(argv, { heapMiB: 0, n, piped: false }),
      });
    }
    return cases;
  });
}

/** Runs every case `rounds` × `perRound` times, interleaved. */
export function measureRealPrograms(
  android: AndroidPath,
  rounds: number,
  perRound: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<{ name: string; stats: LatencyStats }[]> {
  return interleave(programCases(android), {
    rounds,
    perRound,
    warmUp: Math.min(perRound, 10),
  }, onRound);
}
