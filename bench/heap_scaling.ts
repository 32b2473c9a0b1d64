/**
 * Spawn + wait latency while this process holds a large resident heap: fork copies page tables
 * and grows with the heap, vfork and posix_spawn share the parent's memory and stay flat.
 *
 *   deno run -A bench/heap_scaling.ts [--heaps 0,256,1024] [--spawns 60]
 * @module
 */
import { parseArgs } from "node:util";
import { type Backend, runSync } from "../mod.ts";
import { benchChildren } from "./children.ts";
import { summarize } from "./stats.ts";

const BACKENDS: readonly Backend[] = ["vfork", "posixSpawn", "fork"];

/** p50 µs per backend at each heap size (MiB). */
export function measureHeapScaling(
  heapsMiB: readonly number[],
  spawns: number,
): { heapMiB: number; p50Us: Record<string, number> }[] {
  const { noop } = benchChildren();
  const rows = [];
  for (const heapMiB of heapsMiB) {
    const heap = new Uint8Array(heapMiB * 1024 * 1024);
    for (let i = 0; i < heap.length; i += 4096) heap[i] = 1; // resident, not just reserved
    const p50Us: Record<string, number> = {};
    for (const backend of BACKENDS) {
      const samples: number[] = [];
      for (let i = 0; i < spawns + 5; i++) {
        const t = performance.now();
        runSync({ program: noop, backend, stdout: "null", stderr: "null" });
        if (i >= 5) samples.push((performance.now() - t) * 1000);
      }
      p50Us[backend] = summarize(samples).p50Us;
    }
    rows.push({ heapMiB, p50Us });
    heap.fill(0, 0, 1); // keep the heap alive until measured
  }
  return rows;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      heaps: { type: "string", default: "0,256,1024" },
      spawns: { type: "string", default: "60" },
    },
  });
  const rows = measureHeapScaling(values.heaps.split(",").map(Number), Number(values.spawns));
  console.log(
    `${"heap MiB".padEnd(10)}${BACKENDS.map((b) => `${b} p50 µs`.padStart(18)).join("")}`,
  );
  for (const { heapMiB, p50Us } of rows) {
    const base = rows[0].p50Us;
    console.log(
      `${String(heapMiB).padEnd(10)}${
        BACKENDS.map((b) =>
          `${p50Us[b].toFixed(0)} (${(p50Us[b] / base[b]).toFixed(2)}×)`.padStart(18)
        ).join("")
      }`,
    );
  }
}
