/**
 * The bench suite as one run: spawn latency (C floors, every backend, Deno.Command), then the
 * async cases, into one {@linkcode BenchReport} with the device and every target ratio.
 * @module
 */
import { BATCH, measureAsync } from "./async_throughput.ts";
import { hostDevice } from "./device.ts";
import { type BenchReport, ratiosFor, type RatioSpec, REPORT_SCHEMA, roleOf } from "./report.ts";
import { measureSpawnLatency } from "./spawn_latency.ts";
import type { LatencyStats } from "./stats.ts";

/** How much to measure. */
export interface SuiteSize {
  readonly mode: "quick" | "full" | "custom";
  /** Interleaved rounds of the spawn cases. */
  readonly rounds: number;
  /** Spawns per case per round. */
  readonly perRound: number;
  /** Interleaved rounds of the async cases. */
  readonly asyncRounds: number;
}

/** `--quick` (well under 60 s on a 2-core x86_64 machine) and the full run. */
export const SIZES: Readonly<Record<"quick" | "full", SuiteSize>> = {
  quick: { mode: "quick", rounds: 3, perRound: 10, asyncRounds: 3 },
  full: { mode: "full", rounds: 20, perRound: 50, asyncRounds: 15 },
};

/** The targets of issue 7 that this suite measures, as ratios of p50s in one run. */
export const TARGETS: readonly RatioSpec[] = [
  {
    label: "vfork, stdio null ÷ C vfork+exec floor",
    of: "coreshift vfork, stdio null",
    to: "C vfork+exec floor",
    op: "<=",
    target: 1.1,
  },
  {
    label: "posixSpawn, stdio null ÷ C posix_spawn floor",
    of: "coreshift posixSpawn, stdio null",
    to: "C posix_spawn floor",
    op: "<=",
    target: 1.1,
  },
  {
    label: "posixSpawn, stdio null ÷ Deno.Command outputSync null",
    of: "coreshift posixSpawn, stdio null",
    to: "Deno.Command outputSync, stdio null",
    op: "<=",
    target: 0.5,
  },
  {
    label: "posixSpawn, capture ÷ Deno.Command output() piped",
    of: "coreshift posixSpawn, capture",
    to: "Deno.Command output(), piped",
    op: "<=",
    target: 0.5,
  },
  {
    label: `Deno.Command ÷ spawnAsync, ${BATCH} concurrent (throughput ×)`,
    of: `Deno.Command output(), ${BATCH} concurrent`,
    to: `coreshift spawnAsync, ${BATCH} concurrent`,
    op: ">=",
    target: 2,
  },
  {
    label: "Deno.Command ÷ spawn, 1 MiB capture (speed-up ×)",
    of: "Deno.Command output(), 1 MiB",
    to: "coreshift spawn, 1 MiB capture",
    op: ">=",
    target: 1.5,
  },
];

/** Runs the suite; `progress` hears each finished round (for a TTY progress line). */
export async function runSuite(
  size: SuiteSize,
  progress: (phase: string, done: number, total: number) => void = () => {},
): Promise<BenchReport> {
  const device = hostDevice();
  const spawn = await measureSpawnLatency(
    size.rounds,
    size.perRound,
    (d, t) => progress("spawn latency", d, t),
  );
  const concurrent = await measureAsync(size.asyncRounds, (d, t) => progress("async", d, t));
  const cases = (list: readonly { name: string; stats: LatencyStats }[]) =>
    list.map((c) => ({ name: c.name, role: roleOf(c.name), stats: c.stats }));
  const sections = [
    {
      id: "spawn",
      title: `spawn + wait of a no-op child (${spawn.noop})`,
      cases: cases(spawn.cases),
    },
    { id: "async", title: "async API, one batch per sample", cases: cases(concurrent.cases) },
  ];
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    mode: size.mode,
    device,
    notes: spawn.notes,
    sections,
    ratios: ratiosFor(sections, TARGETS),
  };
}
