/**
 * Spawn + wait latency while this process holds a large resident heap: fork copies page tables
 * and grows with the heap; vfork and posix_spawn share the parent's memory and should stay flat.
 * Heaps are measured one after another (the heap is this process's state); the backends are
 * interleaved within each.
 * @module
 */
import { type Backend, runSync } from "../mod.ts";
import { benchChildren } from "./children.ts";
import { type LatencyStats, summarize } from "./stats.ts";
import { timed } from "./timing.ts";

/** The parent heaps measured, in MiB. */
export const HEAPS_MIB: readonly number[] = [0, 256, 1024];

const BACKENDS: readonly Backend[] = ["vfork", "posixSpawn", "fork"];

/** A case's name: backend and heap. */
export function heapCaseName(backend: Backend, heapMiB: number): string {
  return `coreshift ${backend}, ${heapMiB} MiB heap`;
}

/** Runs every backend at each heap in `heapsMiB`, `rounds` × `perRound` spawns, interleaved. */
export function measureHeapScaling(
  rounds: number,
  perRound: number,
  heapsMiB: readonly number[] = HEAPS_MIB,
  onRound: (done: number, total: number) => void = () => {},
): { name: string; stats: LatencyStats }[] {
  const { noop } = benchChildren();
  const results: { name: string; stats: LatencyStats }[] = [];
  let done = 0;
  for (const heapMiB of heapsMiB) {
    const heap = new Uint8Array(heapMiB * 1024 * 1024);
    for (let i = 0; i < heap.length; i += 4096) heap[i] = 1; // resident, not just reserved
    const samples = BACKENDS.map(() => [] as number[]);
    const once = (backend: Backend) => () =>
      runSync({ program: noop, backend, stdout: "null", stderr: "null" });
    BACKENDS.forEach((b) => timed(Math.min(perRound, 5), once(b))); // warm-up
    for (let r = 0; r < rounds; r++) {
      BACKENDS.forEach((b, i) => samples[i].push(...timed(perRound, once(b))));
      onRound(++done, rounds * heapsMiB.length);
    }
    if (heap.length && heap[0] !== 1) throw new Error("heap lost"); // keeps it alive until here
    results.push(
      ...BACKENDS.map((b, i) => ({ name: heapCaseName(b, heapMiB), stats: summarize(samples[i]) })),
    );
  }
  return results;
}
