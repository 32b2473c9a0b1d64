/**
 * Spawn + wait latency while this process holds a large resident heap: fork copies page tables
 * and grows with the heap; vfork and posix_spawn share the parent's memory and should stay flat.
 * Heaps and backends are interleaved round by round, so drift of the machine is not read as an
 * effect of the heap: each round maps every heap in turn (anonymous memory, every page touched)
 * and unmaps it after, which a V8 array could not promise (it is freed whenever the GC runs).
 * @module
 */
import { runSync } from "../mod.ts";
import type { Backend } from "../ffi/spawn/options.ts";
import { libc } from "../ffi/libc.ts";
import { benchChildren } from "./children/locate.ts";
import { type LatencyStats, summarize } from "./stats.ts";
import { timed } from "./timing.ts";

/** The parent heaps measured, in MiB. */
export const HEAPS_MIB: readonly number[] = [0, 256, 1024];

const BACKENDS: readonly Backend[] = ["vfork", "posixSpawn", "fork"];

/** A case's name: backend and heap. */
export function heapCaseName(backend: Backend, heapMiB: number): string {
  return `coreshift ${backend}, ${heapMiB} MiB heap`;
}

/** Maps `mib` MiB of anonymous memory and touches every page; returns the unmapper. */
function residentHeap(mib: number): () => void {
  if (mib === 0) return () => {};
  const c = libc();
  const { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS } = c.abi.kernel.common.mmap;
  const bytes = mib * 1024 * 1024;
  const base = c.symbols.mmap(
    null,
    BigInt(bytes),
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_ANONYMOUS,
    -1,
    0n,
  );
  if (!base || Deno.UnsafePointer.value(base) === 0xffffffffffffffffn) {
    throw new Error(`could not map a ${mib} MiB heap (errno ${c.errno()})`);
  }
  const pages = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(base, bytes));
  for (let i = 0; i < bytes; i += 4096) pages[i] = 1; // resident, not just reserved
  return () => void c.symbols.munmap(base, BigInt(bytes));
}

/** Runs every backend at each heap in `heapsMiB`, `rounds` × `perRound` spawns, interleaved. */
export function measureHeapScaling(
  rounds: number,
  perRound: number,
  heapsMiB: readonly number[] = HEAPS_MIB,
  onRound: (done: number, total: number) => void = () => {},
): { name: string; stats: LatencyStats }[] {
  const { noop } = benchChildren();
  const samples = heapsMiB.map(() => BACKENDS.map(() => [] as number[]));
  const once = (backend: Backend) => () =>
    runSync({ program: noop, backend, stdout: "null", stderr: "null" });
  BACKENDS.forEach((b) => timed(Math.min(perRound, 5), once(b))); // warm-up
  for (let r = 0; r < rounds; r++) {
    heapsMiB.forEach((mib, h) => {
      const unmap = residentHeap(mib);
      try {
        BACKENDS.forEach((b, i) => samples[h][i].push(...timed(perRound, once(b))));
      } finally {
        unmap();
      }
    });
    onRound(r + 1, rounds);
  }
  return heapsMiB.flatMap((mib, h) =>
    BACKENDS.map((b, i) => ({ name: heapCaseName(b, mib), stats: summarize(samples[h][i]) }))
  );
}
