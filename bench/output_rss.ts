/**
 * Parent memory while a child writes far more than the cap: `maxOutput` of 1 MiB, a child
 * writing 1 GiB. Past the cap the reactor keeps draining into one reused buffer, so the
 * parent's resident memory must stay flat. Measured as peak RSS (VmHWM, reset through
 * `/proc/self/clear_refs` before each run) minus RSS before the run, for runSync and spawn.
 * @module
 */
import { OutputOverflowError, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { readProcText } from "../ffi/os/proc_files.ts";
import { benchChildren } from "./children/locate.ts";
import type { LatencyStats } from "./stats.ts";
import { summarize } from "./stats.ts";

const MIB = 1024 * 1024;

/** The cap the RSS case runs under. */
export const RSS_CAP = MIB;

/** Case names, for the report's limits. */
export function rssCaseNames(outputBytes: number): { sync: string; async: string } {
  const size = outputBytes >= 1024 * MIB
    ? `${outputBytes / (1024 * MIB)} GiB`
    : `${outputBytes / MIB} MiB`;
  return {
    sync: `coreshift runSync, ${size} through a 1 MiB cap`,
    async: `coreshift spawn, ${size} through a 1 MiB cap`,
  };
}

/** What one path measured: how long the transfer took and how much the parent grew. */
export interface RssResult {
  readonly name: string;
  /** Time of each run, in µs. */
  readonly stats: LatencyStats;
  /** Largest growth of this process's peak RSS over a run, in KiB; null if unmeasurable. */
  readonly growthKiB: number | null;
}

function statusKiB(field: "VmRSS" | "VmHWM"): number {
  const line = readProcText("/proc/self/status").split("\n").find((l) => l.startsWith(field));
  if (!line) throw new Error(`/proc/self/status has no ${field}`);
  return Number(line.split(/\s+/)[1]);
}

/** Resets VmHWM to the current RSS; false where the kernel or sandbox does not allow it. */
function resetPeak(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function expectOverflow(e: unknown, bytes: number): void {
  if (!(e instanceof OutputOverflowError)) throw e;
  const total = e.output.stdout.length + e.droppedBytes;
  if (total !== bytes) throw new Error(`the writer's ${bytes} bytes arrived as ${total}`);
}

/** Runs each path `runs` times with a child writing `outputBytes`; notes say what was lost. */
export async function measureOutputRss(
  runs: number,
  outputBytes: number,
  notes: string[],
): Promise<RssResult[]> {
  const [program, ...args] = benchChildren().writer(outputBytes);
  const options: SpawnOptions = { program, args, maxOutput: RSS_CAP, stderr: "null" };
  const names = rssCaseNames(outputBytes);
  const overflowing = async (run: () => unknown) => {
    try {
      await run();
    } catch (e) {
      return expectOverflow(e, outputBytes);
    }
    throw new Error("the writer stayed under the cap");
  };
  const paths: [string, () => Promise<void>][] = [
    [names.sync, () => overflowing(() => runSync(options))],
    [names.async, () => overflowing(() => spawn(options).output())],
  ];
  let canReset = true;
  const results: RssResult[] = [];
  for (const [name, run] of paths) {
    await run(); // warm-up: buffers and code paths of the first run are not growth
    const samples: number[] = [];
    let growth = 0;
    for (let i = 0; i < runs; i++) {
      canReset &&= resetPeak();
      const before = statusKiB("VmRSS");
      const t = performance.now();
      await run();
      samples.push((performance.now() - t) * 1000);
      growth = Math.max(growth, statusKiB("VmHWM") - before);
    }
    results.push({ name, stats: summarize(samples), growthKiB: canReset ? growth : null });
  }
  if (!canReset) {
    notes.push("peak RSS could not be reset (/proc/self/clear_refs): growth unmeasured");
  }
  return results;
}
