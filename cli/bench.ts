/**
 * `coreshift bench`: the bench suite. Prints a table, writes the JSON report, an SVG chart of
 * every section and a markdown summary on request, compares two reports (and charts them), and
 * shows a progress line on a terminal.
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { renderComparisonSvg, renderSvg } from "../bench/chart/document.ts";
import { formatComparison } from "../bench/compare.ts";
import { formatMarkdown } from "../bench/report_markdown.ts";
import { formatReport } from "../bench/report_text.ts";
import { validateReport } from "../bench/report_validate.ts";
import { runSuite, SIZES, type SuiteSize } from "../bench/suite.ts";
import { doctor } from "../android/doctor.ts";
import { formatDoctor } from "./doctor.ts";
import { parseFlags, USAGE_ERROR } from "./flags.ts";
import { printError } from "./style.ts";

/** `coreshift bench --help`. */
export const BENCH_HELP =
  `usage: coreshift bench [--quick] [--json] [--out FILE] [--svg FILE] [--md FILE] [--doctor]
       coreshift bench --compare a.json b.json [--svg FILE]

What coreshift buys here: spawn + wait of a static no-op and of real programs (true, sh -c :)
for every backend, against the C and Deno FFI floors, Deno.Command here and Deno.Command as on
Android (its fork path; made on glibc by a preload library), the async API, fd policies with
many fds open, parent heap size, cancel latency and parent memory past the output cap, all in
one run with the cases interleaved; ratios are of p50s from that run, held to the project's
goals where it has one.

  --quick            a short run (well under two minutes on 2 cores; noisier)
  --json             print the JSON report (schema coreshift-bench/3) instead of the table
  --out FILE         also write the JSON report to FILE
  --svg FILE         also write an SVG chart of every section to FILE
  --md FILE          also write a markdown summary to paste into an issue
  --doctor           end with the doctor report of this machine
  --rounds N, --per-round N, --async-rounds N
                     exact sizes instead of --quick or the full run
  --heaps MIB,...    parent heaps to measure the backends at (default 0,256,1024)
  --fds N,...        extra open fds to measure the fd policies with (default 10,1000)
  --output-mib N     what the child writes through the 1 MiB cap (default 1024)
  --output-runs N    runs of that case (quick 1, full 3)
  --compare A B      print two saved reports side by side (devices, commits; any schema);
                     with --svg FILE, chart them side by side too
`;

/** Runs `coreshift bench`; resolves to the exit code. */
export async function benchCommand(args: readonly string[]): Promise<number> {
  if (args[0] === "--compare") return compare(args.slice(1));
  const values = parseFlags("bench", args, {
    quick: { type: "boolean" },
    json: { type: "boolean" },
    out: { type: "string" },
    svg: { type: "string" },
    md: { type: "string" },
    doctor: { type: "boolean" },
    rounds: { type: "string" },
    "per-round": { type: "string" },
    "async-rounds": { type: "string" },
    heaps: { type: "string" },
    fds: { type: "string" },
    "output-mib": { type: "string" },
    "output-runs": { type: "string" },
  }, BENCH_HELP);
  if (typeof values === "number") return values;
  const size = suiteSize(values);
  if (typeof size === "string") {
    printError("bench", size);
    return USAGE_ERROR;
  }
  const showProgress = !values.json && Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const report = await runSuite(size, (phase, done, total) => {
    if (showProgress) {
      Deno.stderr.writeSync(encoder.encode(`\r\x1b[K${phase}: round ${done}/${total}`));
    }
  });
  if (showProgress) Deno.stderr.writeSync(encoder.encode("\r\x1b[K"));
  const json = JSON.stringify(report, null, 2);
  if (values.out) writeFile(values.out as string, json + "\n");
  if (values.svg) writeFile(values.svg as string, renderSvg(report));
  if (values.md) writeFile(values.md as string, formatMarkdown(report, values.svg as string));
  console.log(values.json ? json : formatReport(report));
  if (values.doctor) console.log(`\n${formatDoctor(doctor())}`);
  return 0;
}

function writeFile(path: string, text: string): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  Deno.writeTextFileSync(path, text);
}

const COUNT_FLAGS = ["rounds", "per-round", "async-rounds", "output-runs"] as const;
const LIST_FLAGS = ["heaps", "fds"] as const;

function suiteSize(values: Readonly<Record<string, unknown>>): SuiteSize | string {
  const base = values.quick ? SIZES.quick : SIZES.full;
  const given = [...COUNT_FLAGS, ...LIST_FLAGS, "output-mib"].filter((k) =>
    values[k] !== undefined
  );
  if (!given.length) return base;
  const count = (key: string, fallback: number, min = 1) => {
    const v = values[key];
    if (v === undefined) return fallback;
    return /^\d+$/.test(v as string) && Number(v) >= min ? Number(v) : NaN;
  };
  const list = (key: string, fallback: readonly number[]) => {
    const v = values[key];
    if (v === undefined) return fallback;
    const items = (v as string).split(",");
    return items.every((x) => /^\d+$/.test(x)) ? items.map(Number) : [NaN];
  };
  const mib = count("output-mib", base.outputBytes / (1024 * 1024));
  const size: SuiteSize = {
    mode: "custom",
    rounds: count("rounds", base.rounds),
    perRound: count("per-round", base.perRound),
    asyncRounds: count("async-rounds", base.asyncRounds),
    heapsMiB: list("heaps", base.heapsMiB),
    fdCounts: list("fds", base.fdCounts),
    outputBytes: mib * 1024 * 1024,
    outputRuns: count("output-runs", base.outputRuns),
  };
  const numbers = [size.rounds, size.perRound, size.asyncRounds, size.outputBytes, size.outputRuns];
  if (numbers.some(Number.isNaN)) {
    return "--rounds, --per-round, --async-rounds, --output-runs and --output-mib take a positive integer";
  }
  if ([...size.heapsMiB, ...size.fdCounts].some(Number.isNaN)) {
    return "--heaps and --fds take a comma-separated list of integers, e.g. --heaps 0,256,1024";
  }
  return size;
}

function compare(args: readonly string[]): number {
  let files: string[];
  let svg: string | undefined;
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { svg: { type: "string" } },
      allowPositionals: true,
    });
    files = parsed.positionals;
    svg = parsed.values.svg;
  } catch (e) {
    printError("bench", `${(e as Error).message} (see coreshift bench --help)`);
    return USAGE_ERROR;
  }
  if (files.length !== 2) {
    printError(
      "bench",
      "--compare takes two report files: coreshift bench --compare a.json b.json [--svg FILE]",
    );
    return USAGE_ERROR;
  }
  try {
    const [a, b] = files.map((f) => validateReport(JSON.parse(Deno.readTextFileSync(f)), f));
    console.log(formatComparison(a, b));
    if (svg) writeFile(svg, renderComparisonSvg(a, b));
    return 0;
  } catch (e) {
    printError("bench", `${(e as Error).message}`);
    return 1;
  }
}
