/**
 * Spawn + wait latency while the spawning process holds a large resident heap: fork copies page
 * tables and grows with the heap; vfork and posix_spawn share the parent's memory and should stay
 * flat. Each coreshift backend and `Deno.Command` are measured here with the heap mapped in this
 * process; `Deno.Command` as on Android (the fork path) in a Deno of its own holding the same
 * heap. Heaps and spawners are interleaved round by round, so drift of the machine is not read as
 * an effect of the heap: each round maps every heap in turn and unmaps it after.
 * @module
 */
import { runSync } from "../mod.ts";
import type { AndroidPath } from "./android_path/runner.ts";
import { type LatencyStats, summarize } from "./stats.ts";
import { residentHeap } from "./resident_heap.ts";
import { timed } from "./timing.ts";

/** The parent heaps measured, in MiB. */
export const HEAPS_MIB: readonly number[] = [0, 256, 1024];

/** The spawners of this section: a line each in the chart. */
export const HEAP_SERIES = {
  vfork: "coreshift vfork",
  posixSpawn: "coreshift posixSpawn",
  fork: "coreshift fork",
  denoCommand: "Deno.Command outputSync",
  androidPath: "Deno.Command outputSync, Android fork path",
} as const;

/** A case's name: spawner and heap. */
export function heapCaseName(series: string, heapMiB: number): string {
  return `${series}, ${heapMiB} MiB heap`;
}

/** A heap case: its spawner (`series`) and heap (`x`, MiB) kept apart for the line chart. */
export interface HeapCase {
  readonly name: string;
  readonly series: string;
  readonly x: number;
  readonly stats: LatencyStats;
}

/** A spawner measured here, with the heap mapped in this process: `n` samples. */
interface InProcess {
  readonly series: string;
  readonly run: (n: number) => number[];
}

/** A spawner measured in a process of its own that maps `mib` itself: `n` samples. */
interface Apart {
  readonly series: string;
  readonly run: (n: number, mib: number) => Promise<number[]>;
}

/** Runs every spawner at each heap in `heapsMiB`, `rounds` × `perRound` spawns, interleaved. */
export async function measureHeapScaling(
  noop: string,
  android: AndroidPath,
  rounds: number,
  perRound: number,
  heapsMiB: readonly number[] = HEAPS_MIB,
  onRound: (done: number, total: number) => void = () => {},
): Promise<HeapCase[]> {
  const io = { stdout: "null", stderr: "null" } as const;
  const inProcess: InProcess[] = (["vfork", "posixSpawn", "fork"] as const).map((backend) => ({
    series: HEAP_SERIES[backend],
    run: (n) => timed(n, () => runSync({ program: noop, backend, ...io })),
  }));
  inProcess.push({
    series: HEAP_SERIES.denoCommand,
    run: (n) => timed(n, () => new Deno.Command(noop, io).outputSync()),
  });
  const apart: Apart[] = [];
  const androidRun = android.run;
  if (androidRun) {
    apart.push({
      series: HEAP_SERIES.androidPath,
      run: (n, heapMiB) => androidRun([noop], { heapMiB, n, piped: false }),
    });
  }
  const spawners = [...inProcess, ...apart];
  const samples = heapsMiB.map(() => spawners.map(() => [] as number[]));
  inProcess.forEach((s) => s.run(Math.min(perRound, 5))); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let h = 0; h < heapsMiB.length; h++) {
      const unmap = residentHeap(heapsMiB[h]);
      try {
        inProcess.forEach((s, i) => samples[h][i].push(...s.run(perRound)));
      } finally {
        unmap();
      }
      for (let i = 0; i < apart.length; i++) {
        samples[h][inProcess.length + i].push(...await apart[i].run(perRound, heapsMiB[h]));
      }
    }
    onRound(r + 1, rounds);
  }
  return heapsMiB.flatMap((mib, h) =>
    spawners.map((s, i) => ({
      name: heapCaseName(s.series, mib),
      series: s.series,
      x: mib,
      stats: summarize(samples[h][i]),
    }))
  );
}
