/**
 * Spawn + wait latency of a no-op child: coreshift's posix_spawn backend against the C floor
 * and `Deno.Command`, in one run, cases interleaved round by round so machine noise hits all
 * of them alike. Ratios are of medians taken in this run.
 *
 *   deno run -A bench/spawn_latency.ts [--rounds 20] [--per-round 50] [--json]
 * @module
 */
import { parseArgs } from "node:util";
import { hostPlatform, runSync } from "../mod.ts";
import { benchChildren } from "./children.ts";
import { type LatencyStats, summarize } from "./stats.ts";

/** One measured case. */
interface Case {
  readonly name: string;
  /** Runs `n` spawns and returns one sample (µs) per spawn. */
  readonly run: (n: number) => number[] | Promise<number[]>;
}

function timed(n: number, once: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    once();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

async function timedAsync(n: number, once: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

function cFloor(floor: string, mode: string, program: string): Case["run"] {
  return (n) => {
    const out = new Deno.Command(floor, { args: [mode, String(n), program] }).outputSync();
    if (!out.success) throw new Error(`C floor failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout).trim().split("\n").map((ns) => Number(ns) / 1000);
  };
}

/** The cases, in report order. */
export function spawnCases(noop: string, floor: string | null): Case[] {
  const cases: Case[] = [];
  if (floor) {
    cases.push({ name: "C posix_spawn floor", run: cFloor(floor, "posix_spawn", noop) });
    cases.push({ name: "C vfork+exec floor", run: cFloor(floor, "vfork", noop) });
  }
  const nullIo = { stdout: "null", stderr: "null" } as const;
  for (const backend of ["vfork", "posixSpawn", "fork"] as const) {
    cases.push({
      name: `coreshift ${backend}, stdio null`,
      run: (n) => timed(n, () => runSync({ program: noop, backend, ...nullIo })),
    });
  }
  cases.push(
    {
      name: "coreshift vfork, capture",
      run: (n) => timed(n, () => runSync({ program: noop, backend: "vfork" })),
    },
    {
      name: "coreshift posixSpawn, capture",
      run: (n) => timed(n, () => runSync({ program: noop, backend: "posixSpawn" })),
    },
    {
      name: "Deno.Command outputSync, stdio null",
      run: (n) => timed(n, () => new Deno.Command(noop, nullIo).outputSync()),
    },
    {
      name: "Deno.Command outputSync, piped",
      run: (n) => timed(n, () => new Deno.Command(noop).outputSync()),
    },
    {
      name: "Deno.Command output(), piped",
      run: (n) => timedAsync(n, () => new Deno.Command(noop).output()),
    },
  );
  return cases;
}

/** Results of one run. */
export interface SpawnLatencyReport {
  readonly platform: ReturnType<typeof hostPlatform>;
  readonly noop: string;
  readonly notes: readonly string[];
  readonly cases: readonly { readonly name: string; readonly stats: LatencyStats }[];
}

/** Runs every case `rounds` times, `perRound` spawns each time, interleaved. */
export async function measureSpawnLatency(
  rounds: number,
  perRound: number,
  onRound: (done: number, total: number) => void = () => {},
): Promise<SpawnLatencyReport> {
  const { noop, floor, notes } = benchChildren();
  const cases = spawnCases(noop, floor);
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) await c.run(Math.min(perRound, 20)); // warm-up: JIT, page cache
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(...await cases[i].run(perRound));
    onRound(r + 1, rounds);
  }
  return {
    platform: hostPlatform(),
    noop,
    notes,
    cases: cases.map((c, i) => ({ name: c.name, stats: summarize(samples[i]) })),
  };
}

function ratio(report: SpawnLatencyReport, name: string, against: string): string {
  const a = report.cases.find((c) => c.name === name)?.stats.p50Us;
  const b = report.cases.find((c) => c.name === against)?.stats.p50Us;
  return a && b ? `${(a / b).toFixed(2)}×` : "n/a";
}

/** The report as a text table with the ratios the targets are stated in. */
export function formatSpawnLatency(report: SpawnLatencyReport): string {
  const p = report.platform;
  const lines = [
    `spawn + wait of a no-op child (${report.noop}) on ${p.os} ${p.arch}, ${p.libc} ${p.libcVersion}`,
    ...report.notes.map((n) => `note: ${n}`),
    "",
    `${"case".padEnd(38)}${"min".padStart(8)}${"p50".padStart(8)}${"p90".padStart(8)}${
      "p99".padStart(8)
    }${"mean".padStart(8)}  µs`,
  ];
  for (const { name, stats: s } of report.cases) {
    const cols = [s.minUs, s.p50Us, s.p90Us, s.p99Us, s.meanUs].map((v) =>
      v.toFixed(0).padStart(8)
    );
    lines.push(`${name.padEnd(38)}${cols.join("")}`);
  }
  const targets: [string, string, string, string][] = [
    [
      "vfork null / C vfork+exec floor",
      "coreshift vfork, stdio null",
      "C vfork+exec floor",
      "≤ 1.10×",
    ],
    [
      "posixSpawn null / C posix_spawn floor",
      "coreshift posixSpawn, stdio null",
      "C posix_spawn floor",
      "≤ 1.10×",
    ],
    [
      "vfork null / Deno.Command outputSync null",
      "coreshift vfork, stdio null",
      "Deno.Command outputSync, stdio null",
      "≤ 0.50×",
    ],
    [
      "vfork capture / Deno.Command output() piped",
      "coreshift vfork, capture",
      "Deno.Command output(), piped",
      "≤ 0.50×",
    ],
  ];
  lines.push("", "ratios of p50 in this run:");
  for (const [label, a, b, target] of targets) {
    lines.push(`  ${label.padEnd(46)}${ratio(report, a, b).padStart(7)}  target ${target}`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "20" },
      "per-round": { type: "string", default: "50" },
      json: { type: "boolean", default: false },
    },
  });
  const report = await measureSpawnLatency(Number(values.rounds), Number(values["per-round"]));
  console.log(values.json ? JSON.stringify(report, null, 2) : formatSpawnLatency(report));
}
