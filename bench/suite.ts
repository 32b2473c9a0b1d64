/**
 * The bench suite as one run, into one {@linkcode BenchReport} with the device, the headline
 * figures, every goal and every limit: spawn latency of the static no-op (C and Deno FFI floors,
 * every backend, Deno.Command here and on Android's fork path), real programs from PATH, the
 * async API, fd policies with many open fds, parent heap size, cancel latency, and parent
 * memory while a child writes far past the output cap.
 * @module
 */
import { prepareAndroidPath } from "./android_path/runner.ts";
import { BATCH, measureAsync } from "./async_throughput.ts";
import { CANCEL_CASES, measureCancelLatency } from "./cancel_latency.ts";
import { benchChildren } from "./children/locate.ts";
import { hostDevice } from "./device.ts";
import { fdCaseName, measureFdPolicies, SCAN_LABEL } from "./fd_policy.ts";
import { FFI_FLOOR_CASES } from "./ffi_floor.ts";
import { HEAP_SERIES, heapCaseName, measureHeapScaling } from "./heap_scaling.ts";
import { measureOutputRss, rssCaseNames } from "./output_rss.ts";
import {
  androidPathCaseName,
  measureRealPrograms,
  programCaseName,
  REAL_PROGRAMS,
} from "./real_programs.ts";
import { type BenchReport, type Limit, REPORT_SCHEMA, roleOf, type Section } from "./report.ts";
import { ANDROID_PATH_CASE, measureSpawnLatency } from "./spawn_latency.ts";
import type { LatencyStats } from "./stats.ts";
import { caseLimitsFor, type CaseLimitSpec, limit, ratiosFor, type RatioSpec } from "./verdicts.ts";

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
const GOAL_SHAPES = { heapsMiB: [0, 256, 1024], fdCounts: [10, 1000], outputBytes: GIB };

/** `--quick` (well under 60 s on a 2-core x86_64 machine) and the full run. */
export const SIZES: Readonly<Record<"quick" | "full", SuiteSize>> = {
  quick: { mode: "quick", rounds: 3, perRound: 10, asyncRounds: 3, ...GOAL_SHAPES, outputRuns: 1 },
  full: { mode: "full", rounds: 20, perRound: 50, asyncRounds: 50, ...GOAL_SHAPES, outputRuns: 3 },
};

/** Spawns per case per round where one spawn is slow (fork at 1 GiB, a 5 ms timeout). */
const SLOW_PER_ROUND = 10;

const FFI_VFORK = FFI_FLOOR_CASES.vfork;
const COMMAND_PIPED = "coreshift Command outputSync, piped";
const DENO_PIPED = "Deno.Command outputSync, piped";

/**
 * What switching buys, read first: Deno.Command on Android's fork path and here against
 * coreshift's `Command`, and coreshift's own cost above the floor any Deno library stands on.
 */
export const HEADLINES: readonly RatioSpec[] = [
  {
    label: "Android's Deno.Command ÷ coreshift Command, outputSync (× faster)",
    of: ANDROID_PATH_CASE,
    to: COMMAND_PIPED,
    op: ">=",
    target: 5,
    bestFrom: FFI_VFORK,
    headline: true,
  },
  {
    label: "Android's Deno.Command ÷ coreshift vfork, 256 MiB heap (× faster)",
    of: heapCaseName(HEAP_SERIES.androidPath, 256),
    to: heapCaseName(HEAP_SERIES.vfork, 256),
    op: ">=",
    target: 50,
    headline: true,
  },
  {
    label: "Deno.Command here ÷ coreshift Command, outputSync (× faster)",
    of: DENO_PIPED,
    to: COMMAND_PIPED,
    headline: true,
  },
  {
    label: "coreshift vfork ÷ Deno FFI floor (coreshift's own cost)",
    of: "coreshift vfork, stdio null",
    to: FFI_VFORK,
    op: "<=",
    target: 1.05,
    headline: true,
  },
];

/** The goals the project tracks, as ratios of p50s in one run. */
export const GOALS: readonly RatioSpec[] = [
  {
    label: "coreshift posixSpawn ÷ Deno FFI floor (coreshift's own cost)",
    of: "coreshift posixSpawn, stdio null",
    to: FFI_FLOOR_CASES.posixSpawn,
    op: "<=",
    target: 1.05,
  },
  {
    label: "coreshift fork ÷ Deno FFI floor (coreshift's own cost)",
    of: "coreshift fork, stdio null",
    to: FFI_FLOOR_CASES.fork,
    op: "<=",
    target: 1.05,
  },
  {
    label: "Command layer's cost: outputSync ÷ runSync capture (vfork)",
    of: COMMAND_PIPED,
    to: "coreshift vfork, capture",
    op: "<=",
    target: 1.05,
  },
  {
    label: "Command layer's cost: output() ÷ spawn().output() (vfork)",
    of: "coreshift Command output(), piped",
    to: "coreshift spawn().output(), capture",
    op: "<=",
    target: 1.05,
  },
  {
    label: `Deno.Command ÷ spawnOffThread, ${BATCH} concurrent (× throughput)`,
    of: `Deno.Command output(), ${BATCH} concurrent`,
    to: `coreshift spawnOffThread, ${BATCH} concurrent`,
    op: ">=",
    target: 2,
  },
  {
    label: "Deno.Command ÷ spawn, 1 MiB capture (× faster)",
    of: "Deno.Command output(), 1 MiB",
    to: "coreshift spawn, 1 MiB capture",
    op: ">=",
    target: 1.5,
  },
  {
    label: "Deno.Command ÷ runSync, 1 MiB capture (× faster)",
    of: "Deno.Command output(), 1 MiB",
    to: "coreshift runSync, 1 MiB capture",
    op: ">=",
    target: 1.5,
  },
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
    of: heapCaseName(HEAP_SERIES.vfork, 1024),
    to: heapCaseName(HEAP_SERIES.vfork, 0),
    op: "<=",
    target: 1.2,
  },
];

/** Figures shown as is: where the time goes, and what real programs cost. */
export const SHOWN: readonly RatioSpec[] = [
  {
    label: "Deno FFI floor ÷ C vfork+exec floor (Deno's own cost)",
    of: FFI_VFORK,
    to: "C vfork+exec floor",
  },
  {
    label: "Deno.Command ÷ coreshift vfork, stdio null (× faster)",
    of: "Deno.Command outputSync, stdio null",
    to: "coreshift vfork, stdio null",
  },
  ...REAL_PROGRAMS.flatMap(({ label }) => [
    {
      label: `Deno.Command ÷ coreshift Command, ${label} (× faster)`,
      of: programCaseName("Deno.Command outputSync", label),
      to: programCaseName("coreshift Command outputSync", label),
    },
    {
      label: `Android's Deno.Command ÷ coreshift Command, ${label} (× faster)`,
      of: androidPathCaseName(label),
      to: programCaseName("coreshift Command outputSync", label),
    },
  ]),
  {
    label: "Android's Deno.Command ÷ coreshift vfork, 1024 MiB heap (× faster)",
    of: heapCaseName(HEAP_SERIES.androidPath, 1024),
    to: heapCaseName(HEAP_SERIES.vfork, 1024),
  },
];

/** Limits on the cancel cases (µs): early exit → reaped p50 ≤ 0.2 ms, timeout lateness p99 ≤ 1 ms. */
export const CANCEL_LIMITS: readonly CaseLimitSpec[] = [
  {
    label: "runSync early exit → reaped, p50",
    case: CANCEL_CASES.earlyExitSync,
    stat: "p50Us",
    op: "<=",
    target: 200,
  },
  {
    label: "spawn early exit → reaped, p50",
    case: CANCEL_CASES.earlyExitAsync,
    stat: "p50Us",
    op: "<=",
    target: 200,
  },
  {
    label: "runSync timeout lateness, p99",
    case: CANCEL_CASES.timeoutSync,
    stat: "p99Us",
    op: "<=",
    target: 1000,
  },
  {
    label: "spawn timeout lateness, p99",
    case: CANCEL_CASES.timeoutAsync,
    stat: "p99Us",
    op: "<=",
    target: 1000,
  },
];

/** Parent RSS growth allowed while a child writes `outputBytes` through a 1 MiB cap. */
export const RSS_GROWTH_LIMIT_MIB = 16;

/** Hears each finished round of a phase. */
export type Progress = (phase: string, done: number, total: number) => void;
type Measured = readonly { name: string; stats: LatencyStats; series?: string; x?: number }[];

function section(
  id: string,
  title: string,
  list: Measured,
  chart: Section["chart"] = "bars",
): Section {
  return { id, title, chart, cases: list.map((c) => ({ ...c, role: roleOf(c.name) })) };
}

/** Runs the suite; `progress` hears each finished round (for a TTY progress line). */
export async function runSuite(
  size: SuiteSize,
  progress: Progress = () => {},
): Promise<BenchReport> {
  const device = hostDevice();
  const children = benchChildren();
  const notes = [...children.notes];
  const phase = (name: string) => (d: number, t: number) => progress(name, d, t);
  const slow = Math.min(size.perRound, SLOW_PER_ROUND);
  progress("Android fork path", 0, 1);
  const android = await prepareAndroidPath(children.noop, device);
  const spawn = await measureSpawnLatency(
    children,
    android,
    size.rounds,
    size.perRound,
    phase("spawn latency"),
  );
  const programs = await measureRealPrograms(android, size.rounds, slow, phase("real programs"));
  const concurrent = await measureAsync(size.asyncRounds, phase("async"));
  const fds = await measureFdPolicies(
    size.rounds,
    size.perRound,
    size.fdCounts,
    phase("fd policies"),
  );
  const heaps = await measureHeapScaling(
    children.noop,
    android,
    size.rounds,
    slow,
    size.heapsMiB,
    phase("parent heap"),
  );
  const cancel = await measureCancelLatency(size.rounds, slow, phase("cancel"));
  progress("output cap", 0, 1);
  const rss = await measureOutputRss(size.outputRuns, size.outputBytes, notes);
  const sections = [
    section("spawn", "spawn + wait of the static no-op child", spawn),
    section("programs", "spawn + wait of real programs from PATH, stdio null", programs),
    section("async", "async API, one batch per sample", concurrent.cases),
    section("fds", "spawn + wait with extra inheritable fds open, stdio null", fds),
    section("heap", "spawn + wait with a resident parent heap (MiB), stdio null", heaps, "lines"),
    section("cancel", "cancel latency: callback or deadline → child reaped", cancel),
    section("output", "a child writing past a 1 MiB cap, whole run", rss),
  ];
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    mode: size.mode,
    device,
    androidPath: { how: android.how, detail: android.detail },
    notes,
    sections,
    ratios: ratiosFor(sections, [...HEADLINES, ...GOALS, ...SHOWN]),
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
