/**
 * Reading a saved report: checks every field a reader relies on and names the first one that is
 * wrong, and brings `coreshift-bench/1` and `/2` reports up to the current shape (no Android
 * path, `met` booleans as verdicts, the heap section drawn as lines), so `--compare` reads a
 * report from any version.
 * @module
 */
import { type BenchReport, REPORT_SCHEMA } from "./report.ts";

const OLDER_SCHEMAS: readonly string[] = ["coreshift-bench/1", "coreshift-bench/2"];
const ROLES: readonly string[] = ["floor", "baseline", "android", "coreshift"];
const VERDICTS: readonly string[] = ["met", "missed", "floor-bound", "info"];

type Json = Record<string, unknown>;

/**
 * Checks that `data` is a report this version can read; returns it in the current shape, or
 * throws an Error that names the first field that is wrong.
 */
export function validateReport(data: unknown, source = "report"): BenchReport {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}; is it a coreshift bench --json report?`);
  };
  const obj = (v: unknown, at: string) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? v as Json
      : fail(`${at} is not an object`);
  const arr = (v: unknown, at: string) =>
    Array.isArray(v) ? v as unknown[] : fail(`${at} is not an array`);
  const num = (v: unknown, at: string) =>
    typeof v === "number" && Number.isFinite(v) ? v : fail(`${at} is not a number`);
  const str = (v: unknown, at: string) => typeof v === "string" ? v : fail(`${at} is not a string`);
  const target = (v: unknown, at: string) => {
    const t = obj(v, at);
    if (t.op !== "<=" && t.op !== ">=") fail(`${at}.op`);
    num(t.value, `${at}.value`);
  };

  const r = obj(data, "the top level");
  const older = OLDER_SCHEMAS.includes(r.schema as string);
  if (r.schema !== REPORT_SCHEMA && !older) {
    fail(`schema is ${JSON.stringify(r.schema)}, not ${REPORT_SCHEMA}`);
  }
  str(r.createdAt, "createdAt");
  if (!["quick", "full", "custom"].includes(r.mode as string)) {
    fail("mode is not quick|full|custom");
  }
  const d = obj(r.device, "device");
  for (const k of ["arch", "libc", "libcVersion", "kernel", "deno"]) str(d[k], `device.${k}`);
  num(d.cores, "device.cores");
  if (typeof d.emulated !== "boolean") fail("device.emulated is not a boolean");
  arr(r.notes, "notes").forEach((n, i) => str(n, `notes[${i}]`));
  arr(r.sections, "sections").forEach((s, i) => {
    const section = obj(s, `sections[${i}]`);
    str(section.id, `sections[${i}].id`);
    str(section.title, `sections[${i}].title`);
    if (!older && section.chart !== "bars" && section.chart !== "lines") {
      fail(`sections[${i}].chart is not bars|lines`);
    }
    arr(section.cases, `sections[${i}].cases`).forEach((c, j) => {
      const at = `sections[${i}].cases[${j}]`;
      const kase = obj(c, at);
      str(kase.name, `${at}.name`);
      if (!ROLES.includes(kase.role as string)) fail(`${at}.role`);
      const stats = obj(kase.stats, `${at}.stats`);
      for (const k of ["samples", "minUs", "p50Us", "p90Us", "p99Us", "meanUs", "perSecond"]) {
        num(stats[k], `${at}.stats.${k}`);
      }
      if (section.chart === "lines") {
        str(kase.series, `${at}.series`);
        num(kase.x, `${at}.x`);
      }
    });
  });
  arr(r.ratios, "ratios").forEach((x, i) => {
    const ratio = obj(x, `ratios[${i}]`);
    for (const k of ["label", "of", "to"]) str(ratio[k], `ratios[${i}].${k}`);
    num(ratio.value, `ratios[${i}].value`);
    if (older || ratio.target !== null) target(ratio.target, `ratios[${i}].target`);
    if (older) {
      if (typeof ratio.met !== "boolean") fail(`ratios[${i}].met is not a boolean`);
    } else {
      if (!VERDICTS.includes(ratio.verdict as string)) fail(`ratios[${i}].verdict`);
      if (typeof ratio.headline !== "boolean") fail(`ratios[${i}].headline is not a boolean`);
    }
    if (ratio.best !== undefined || ratio.bestFrom !== undefined) {
      num(ratio.best, `ratios[${i}].best`);
      str(ratio.bestFrom, `ratios[${i}].bestFrom`);
    }
  });
  if (r.schema !== "coreshift-bench/1") {
    arr(r.limits, "limits").forEach((x, i) => {
      const l = obj(x, `limits[${i}]`);
      str(l.label, `limits[${i}].label`);
      str(l.unit, `limits[${i}].unit`);
      num(l.value, `limits[${i}].value`);
      target(l.target, `limits[${i}].target`);
      if (older ? typeof l.met !== "boolean" : l.verdict !== "met" && l.verdict !== "missed") {
        fail(`limits[${i}].${older ? "met is not a boolean" : "verdict"}`);
      }
    });
  }
  if (!older) {
    const a = obj(r.androidPath, "androidPath");
    if (!["preload", "android", "none"].includes(a.how as string)) fail("androidPath.how");
    str(a.detail, "androidPath.detail");
    return data as BenchReport;
  }
  return upgrade(r);
}

/** A `/1` or `/2` report in the current shape. */
function upgrade(r: Json): BenchReport {
  const verdict = (met: unknown) => met ? "met" : "missed";
  const sections = (r.sections as Json[]).map((s) => {
    const cases = s.cases as Json[];
    const points = cases.map((c) => /^(.*), (\d+) MiB heap$/.exec(c.name as string));
    if (s.id !== "heap" || points.some((p) => p === null)) return { ...s, chart: "bars" };
    return {
      ...s,
      chart: "lines",
      cases: cases.map((c, i) => ({ ...c, series: points[i]![1], x: Number(points[i]![2]) })),
    };
  });
  return {
    ...r,
    schema: REPORT_SCHEMA,
    androidPath: { how: "none", detail: `not measured (a ${r.schema} report)` },
    sections,
    ratios: (r.ratios as Json[]).map(({ met, ...ratio }) => ({
      ...ratio,
      verdict: verdict(met),
      headline: false,
    })),
    limits: ((r.limits ?? []) as Json[]).map(({ met, ...l }) => ({ ...l, verdict: verdict(met) })),
  } as unknown as BenchReport;
}
