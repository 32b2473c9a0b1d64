/**
 * Run in a Deno of its own by the Android-path baseline (see runner.ts): holds a resident heap,
 * times `Deno.Command(...).outputSync()` of one program, and prints `{ samples, forks }` as JSON.
 * `forks` is what the preloaded fork_path library counted, or null when none is loaded.
 *
 *   deno run -A worker.ts '{"program":"/x","args":[],"piped":true,"heapMiB":0,"n":50,"lib":null}'
 * @module
 */
import { residentHeap } from "../resident_heap.ts";
import { timed } from "../timing.ts";

/** What the runner asks for. */
export interface WorkerJob {
  readonly program: string;
  readonly args: readonly string[];
  /** stdout and stderr piped (outputSync's default), else null. */
  readonly piped: boolean;
  readonly heapMiB: number;
  /** Timed spawns, after a few untimed ones. */
  readonly n: number;
  /** The preloaded fork_path library, to read its fork count; null when none. */
  readonly lib: string | null;
}

/** What the worker prints. */
export interface WorkerResult {
  readonly samples: number[];
  readonly forks: number | null;
}

if (import.meta.main) {
  const job = JSON.parse(Deno.args[0]) as WorkerJob;
  const io = job.piped ? {} : { stdout: "null", stderr: "null" } as const;
  const once = () => {
    const out = new Deno.Command(job.program, { args: [...job.args], ...io }).outputSync();
    if (!out.success) throw new Error(`${job.program} failed in the Android-path worker`);
  };
  const unmap = residentHeap(job.heapMiB);
  let samples: number[];
  try {
    timed(Math.min(job.n, 5), once); // warm-up: first-spawn set-up, page cache
    samples = timed(job.n, once);
  } finally {
    unmap();
  }
  let forks: number | null = null;
  if (job.lib) {
    const lib = Deno.dlopen(job.lib, { coreshift_forks: { parameters: [], result: "u64" } });
    forks = Number(lib.symbols.coreshift_forks());
    lib.close();
  }
  const result: WorkerResult = { samples, forks };
  console.log(JSON.stringify(result));
}
