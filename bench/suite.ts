/**
 * The bench suite as one run, into one {@linkcode BenchReport} with the device, every target
 * ratio and every limit: spawn latency (C floors, every backend, Deno.Command), the async API,
 * fd policies with many open fds, parent heap size, cancel latency, and parent memory while a
 * child writes far past the output cap.
 * @module
 */
import { FFI_FLOOR_CASES } from "./ffi_floor.ts";
import { BATCH, measureAsync } from "./async_throughput.ts";
import { CANCEL_CASES, measureCancelLatency } from "./cancel_latency.ts";
import { hostDevice } from "./device.ts";
import { fdCaseName, measureFdPolicies, SCAN_LABEL } from "./fd_policy.ts";
import { heapCaseName, measureHeapScaling } from "./heap_scaling.ts";
import { measureOutputRss, rssCaseNames } from "./output_rss.ts";
import {
  type BenchReport,
  caseLimitsFor,
  type CaseLimitSpec,
  type Limit,
  limit,
  ratiosFor,
  type RatioSpec,
  REPORT_SCHEMA,
  roleOf,
  type Section,
} from "./report.ts";
import { measureSpawnLatency } from "./spawn_latency.ts";
import type { LatencyStats } from "./stats.ts";

/** How much to measure. */
export interface SuiteSize {
  /** Which preset the sizes came from; `custom` when any size was given. */
  readonly mode: "quick" | "full" | "custom";
  /** Interleaved rounds of the spawn cases. */
  readonly rounds: number;
  /** Spawns per case per round. */
  readonly perRound: number;
  /** Interleaved rounds of the async cases. */
  readonly asyncRounds: number;
  /** Parent heaps (MiB) the backends are measured at. */
  readonly heapsMiB: readonly number[];
  /** Extra open fds the fd policies are measured with. */
  readonly fdCounts: readonly number[];
  /** Bytes the child writes through the 1 MiB cap in the RSS case. */
  readonly outputBytes: number;
  /** Runs of the RSS case per path (the growth reported is the largest). */
  readonly outputRuns: number;
}

const GIB = 1024 * 1024 * 1024;
const ISSUE_SHAPES = { heapsMiB: [0, 256, 1024], fdCounts: [10, 1000], outputBytes: GIB };

/** `--quick` (well under 60 s on a 2-core x86_64 machine) and the full run. */
export const SIZES: Readonly<Record<"quick" | "full", SuiteSize>> = {
  quick: { mode: "quick", rounds: 3, perRound: 10, asyncRounds: 3, ...ISSUE_SHAPES, outputRuns: 1 },
  full: { mode: "full", rounds: 20, perRound: 50, asyncRounds: 50, ...ISSUE_SHAPES, outputRuns: 3 },
};

/** Spawns per case per round where one spawn is slow (fork at 1 GiB, a 5 ms timeout). */
const SLOW_PER_ROUND = 10;

/** The targets of issue 7 that this suite measures, as ratios of p50s in one run. */
export const TARGETS: readonly RatioSpec[] = [
  {
    label: "vfork, stdio null ÷ C vfork+exec floor",
    of: "coreshift vfork, stdio null",
    to: "C vfork+exec floor",
    op: "<=",
    target: 1.1,
    bestFrom: FFI_FLOOR_CASES.vfork,
  },
  {
    label: "posixSpawn, stdio null ÷ C posix_spawn floor",
    of: "coreshift posixSpawn, stdio null",
    to: "C posix_spawn floor",
    op: "<=",
    target: 1.1,
    bestFrom: FFI_FLOOR_CASES.posixSpawn,
  },
  {
    label: "posixSpawn, stdio null ÷ Deno.Command outputSync null",
    of: "coreshift posixSpawn, stdio null",
    to: "Deno.Command outputSync, stdio null",
    op: "<=",
    target: 0.5,
    bestFrom: FFI_FLOOR_CASES.posixSpawn,
  },
  {
    label: "posixSpawn, capture ÷ Deno.Command output() piped",
    of: "coreshift posixSpawn, capture",
    to: "Deno.Command output(), piped",
    op: "<=",
    target: 0.5,
    bestFrom: FFI_FLOOR_CASES.posixSpawn, // spawns without pipes: a bound, not a twin
  },
  {
    label: "Command outputSync ÷ runSync capture (vfork): the Deno.Command layer's cost",
    of: "coreshift Command outputSync, piped",
    to: "coreshift vfork, capture",
    op: "<=",
    target: 1.05,
  },
  {
    label: "Command output() ÷ spawn().output() (vfork): the Deno.Command layer's cost",
    of: "coreshift Command output(), piped",
    to: "coreshift spawn().output(), capture",
    op: "<=",
    target: 1.05,
  },
  {
    label: `Deno.Command ÷ spawnOffThread, ${BATCH} concurrent (throughput ×)`,
    of: `Deno.Command output(), ${BATCH} concurrent`,
    to: `coreshift spawnOffThread, ${BATCH} concurrent`,
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
  {
    label: "Deno.Command ÷ runSync, 1 MiB capture (speed-up ×)",
    of: "Deno.Command output(), 1 MiB",
    to: "coreshift runSync, 1 MiB capture",
    op: ">=",
    target: 1.5,
  },
];

/** The targets of the fd and heap sections, at the sizes the issue names. */
export const SHAPE_TARGETS: readonly RatioSpec[] = [
  {
    label: "vfork closeFrom3 ÷ cloexecOnly, +1000 fds",
    of: fdCaseName("vfork", "closeFrom3", 1000),
    to: fdCaseName("vfork", "cloexecOnly", 1000),
    op: "<=",
    target: 1.5,
  },
  {
    label: "vfork closeFrom3 as on Android < 33 ÷ cloexecOnly, +1000 fds",
    of: fdCaseName("vfork", SCAN_LABEL, 1000),
    to: fdCaseName("vfork", "cloexecOnly", 1000),
    op: "<=",
    target: 1.5,
  },
  {
    label: "vfork at a 1 GiB heap ÷ at none",
    of: heapCaseName("vfork", 1024),
    to: heapCaseName("vfork", 0),
    op: "<=",
    target: 1.2,
  },
];

/** Limits on the cancel cases (µs): early exit → reaped p50 ≤ 1 ms, timeout lateness p99 ≤ 2 ms. */
export const CANCEL_LIMITS: readonly CaseLimitSpec[] = [
  {
    label: "runSync early exit → reaped, p50",
    case: CANCEL_CASES.earlyExitSync,
    stat: "p50Us",
    op: "<=",
    target: 1000,
  },
  {
    label: "spawn early exit → reaped, p50",
    case: CANCEL_CASES.earlyExitAsync,
    stat: "p50Us",
    op: "<=",
    target: 1000,
  },
  {
    label: "runSync timeout lateness, p99",
    case: CANCEL_CASES.timeoutSync,
    stat: "p99Us",
    op: "<=",
    target: 2000,
  },
  {
    label: "spawn timeout lateness, p99",
    case: CANCEL_CASES.timeoutAsync,
    stat: "p99Us",
    op: "<=",
    target: 2000,
  },
];

/** Parent RSS growth allowed while a child writes `outputBytes` through a 1 MiB cap. */
export const RSS_GROWTH_LIMIT_MIB = 16;

/** Hears each finished round of a phase. */
export type Progress = (phase: string, done: number, total: number) => void;
type Measured = readonly { name: string; stats: LatencyStats }[];

function section(id: string, title: string, list: Measured): Section {
  return { id, title, cases: list.map((c) => ({ ...c, role: roleOf(c.name) })) };
}

/** Runs the suite; `progress` hears each finished round (for a TTY progress line). */
export async function runSuite(
  size: SuiteSize,
  progress: Progress = () => {},
): Promise<BenchReport> {
  const device = hostDevice();
  const phase = (name: string) => (d: number, t: number) => progress(name, d, t);
  const slow = Math.min(size.perRound, SLOW_PER_ROUND);
  const spawn = await measureSpawnLatency(size.rounds, size.perRound, phase("spawn latency"));
  const concurrent = await measureAsync(size.asyncRounds, phase("async"));
  const fds = measureFdPolicies(size.rounds, size.perRound, size.fdCounts, phase("fd policies"));
  const heaps = measureHeapScaling(size.rounds, slow, size.heapsMiB, phase("parent heap"));
  const cancel = await measureCancelLatency(size.rounds, slow, phase("cancel"));
  progress("output cap", 0, 1);
  const notes = [...spawn.notes];
  const rss = await measureOutputRss(size.outputRuns, size.outputBytes, notes);
  const sections = [
    section("spawn", `spawn + wait of a no-op child (${spawn.noop})`, spawn.cases),
    section("async", "async API, one batch per sample", concurrent.cases),
    section("fds", "spawn + wait with extra inheritable fds open, stdio null", fds),
    section("heap", "spawn + wait with a resident parent heap, stdio null", heaps),
    section("cancel", "cancel latency: callback or deadline → child reaped", cancel),
    section("output", "a child writing past a 1 MiB cap, whole run", rss),
  ];
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    mode: size.mode,
    device,
    notes,
    sections,
    ratios: ratiosFor(sections, [...TARGETS, ...SHAPE_TARGETS]),
    limits: [...caseLimitsFor(sections, CANCEL_LIMITS), ...rssLimits(rss, size.outputBytes)],
  };
}

function rssLimits(
  results: readonly { name: string; growthKiB: number | null }[],
  outputBytes: number,
): Limit[] {
  const names = rssCaseNames(outputBytes);
  return results.flatMap((r) => {
    if (r.growthKiB === null) return [];
    const who = r.name === names.sync ? "runSync" : "spawn";
    const what = r.name.slice(r.name.indexOf(", ") + 2);
    return [
      limit(
        `${who} parent RSS growth, ${what}`,
        r.growthKiB / 1024,
        "MiB",
        "<=",
        RSS_GROWTH_LIMIT_MIB,
      ),
    ];
  });
}
