/** A synthetic bench report for the report, text and chart tests: every role, three decades. */
import { HEADLINES } from "../bench/suite.ts";
import type { BenchReport, CaseResult, Section } from "../bench/report.ts";
import { roleOf } from "../bench/report.ts";
import { summarize } from "../bench/stats.ts";
import { caseLimitsFor, limit, ratiosFor } from "../bench/verdicts.ts";

/** Stats whose p50 is `p50` µs and p90 a fifth above. */
export const stats = (p50: number) => summarize([p50 * 0.9, p50, p50 * 1.2]);

const kase = (name: string, p50: number): CaseResult => ({
  name,
  role: roleOf(name),
  stats: stats(p50),
});

/** Sections shaped as a real run's: bars for spawn, lines for the heap. */
export function benchSections(): Section[] {
  const heap = (series: string, points: [number, number][]) =>
    points.map(([x, p50]) => ({ ...kase(`${series}, ${x} MiB heap`, p50), series, x }));
  return [
    {
      id: "spawn",
      title: "spawn + wait of the static no-op child",
      chart: "bars",
      cases: [
        kase("C vfork+exec floor", 48),
        kase("Deno FFI floor: helper vfork", 52),
        kase("coreshift vfork, stdio null", 54),
        kase("coreshift Command outputSync, piped", 120),
        kase("Deno.Command outputSync, piped", 400),
        kase("Deno.Command outputSync, piped, Android fork path", 680),
        kase('odd "name" <&>', 700),
      ],
    },
    {
      id: "heap",
      title: "spawn + wait with a resident parent heap (MiB), stdio null",
      chart: "lines",
      cases: [
        ...heap("coreshift vfork", [[0, 60], [256, 62], [1024, 65]]),
        ...heap("coreshift fork", [[0, 500], [256, 4000], [1024, 15000]]),
        ...heap("Deno.Command outputSync", [[0, 110], [256, 112], [1024, 118]]),
        ...heap("Deno.Command outputSync, Android fork path", [[0, 700], [256, 9300], [
          1024,
          40000,
        ]]),
      ],
    },
  ];
}

/** A whole report over {@linkcode benchSections}, `over` replacing any field. */
export function benchReport(over: Partial<BenchReport> = {}): BenchReport {
  const sections = benchSections();
  return {
    schema: "coreshift-bench/3",
    createdAt: "2026-12-06T00:00:00.000Z",
    mode: "custom",
    device: {
      os: "linux",
      arch: "x86_64",
      libc: "glibc",
      libcVersion: "2.36",
      kernel: "6.1.0",
      cpuModel: "Test CPU",
      cores: 2,
      deno: "2.9.5",
      android: null,
      emulated: false,
      emulator: null,
    },
    androidPath: { how: "preload", detail: "made for the test" },
    notes: [],
    sections,
    ratios: ratiosFor(sections, HEADLINES),
    limits: [
      ...caseLimitsFor(sections, [{
        label: "vfork p99",
        case: "coreshift vfork, stdio null",
        stat: "p99Us",
        op: "<=",
        target: 50,
      }]),
      limit("runSync parent RSS growth, 1 GiB through a 1 MiB cap", 2.5, "MiB", "<=", 16),
    ],
    ...over,
  };
}
