/**
 * The bench suite's output, not its timings: verdicts, the report schema (old ones read too),
 * the text table, the comparison, the markdown summary, device detection, and one tiny run of
 * the real suite through the CLI so it cannot rot. No test asserts a timing. The charts have
 * their own file (bench_chart_test.ts).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { compareReports, formatComparison } from "../bench/compare.ts";
import { cpuModelFrom, emulatorFrom, kernelArchFrom } from "../bench/device.ts";
import { REPORT_SCHEMA, roleOf, type Section } from "../bench/report.ts";
import { formatMarkdown, textChart } from "../bench/report_markdown.ts";
import { formatReport } from "../bench/report_text.ts";
import { validateReport } from "../bench/report_validate.ts";
import { caseLimitsFor, limit, ratiosFor } from "../bench/verdicts.ts";
import { escapeXml } from "../bench/chart/svg_text.ts";
import { assertWellFormed } from "./_svg.ts";
import { benchReport, stats } from "./_bench_report.ts";

Deno.test("roles come from case names", () => {
  assert.equal(roleOf("C posix_spawn floor"), "floor");
  assert.equal(roleOf("Deno FFI floor: helper fork"), "floor");
  assert.equal(roleOf("Deno.Command output(), piped"), "baseline");
  assert.equal(roleOf("Deno.Command outputSync, true, Android fork path"), "android");
  assert.equal(roleOf("coreshift vfork, capture"), "coreshift");
});

Deno.test("verdicts: met, missed, beyond the floor, and figures shown as is", () => {
  const sections: Section[] = [{
    id: "s",
    title: "s",
    chart: "bars",
    cases: [
      { name: "coreshift x", role: "coreshift", stats: stats(300) },
      { name: "Deno FFI floor: x", role: "floor", stats: stats(280) },
      { name: "Deno.Command x", role: "baseline", stats: stats(600) },
    ],
  }];
  const ratios = ratiosFor(sections, [
    { label: "cost", of: "coreshift x", to: "Deno FFI floor: x", op: "<=", target: 1.1 },
    { label: "tight", of: "coreshift x", to: "Deno FFI floor: x", op: "<=", target: 1.05 },
    // The floor stands in for coreshift's side, which here is `of`: 280/600 ≤ 0.4 fails too.
    {
      label: "beyond",
      of: "coreshift x",
      to: "Deno.Command x",
      op: "<=",
      target: 0.4,
      bestFrom: "Deno FFI floor: x",
    },
    // … and here `to`: 600/280 ≥ 2 holds, so missing it is coreshift's own doing.
    {
      label: "faster",
      of: "Deno.Command x",
      to: "coreshift x",
      op: ">=",
      target: 2.1,
      bestFrom: "Deno FFI floor: x",
    },
    { label: "shown", of: "Deno.Command x", to: "coreshift x", headline: true },
    { label: "absent", of: "nothing", to: "coreshift x", op: "<=", target: 1 },
  ]);
  assert.deepEqual(ratios.map((r) => [r.label, r.verdict]), [
    ["cost", "met"],
    ["tight", "missed"],
    ["beyond", "floor-bound"],
    ["faster", "missed"],
    ["shown", "info"],
  ]);
  assert.ok(Math.abs(ratios[2].best! - 280 / 600) < 1e-9);
  assert.ok(Math.abs(ratios[3].best! - 600 / 280) < 1e-9);
  assert.equal(ratios[4].target, null);
  assert.equal(ratios[4].headline, true);
});

Deno.test("limits: a case's statistic or a figure held to a bound, absent cases left out", () => {
  const sections = benchReport().sections;
  const limits = caseLimitsFor(sections, [
    { label: "p99", case: "coreshift vfork, stdio null", stat: "p99Us", op: "<=", target: 70 },
    { label: "p50", case: "coreshift vfork, stdio null", stat: "p50Us", op: "<=", target: 50 },
    { label: "absent", case: "no such case", stat: "p50Us", op: "<=", target: 1 },
  ]);
  assert.deepEqual(limits.map((l) => [l.label, l.value, l.verdict]), [
    ["p99", 54 * 1.2, "met"],
    ["p50", 54, "missed"],
  ]);
  assert.equal(limit("x", 3, "MiB", ">=", 2).verdict, "met");
  assert.equal(limit("x", 1, "MiB", ">=", 2).verdict, "missed");
});

Deno.test("validateReport accepts a report and names the first wrong field", () => {
  const good = benchReport();
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(good))), good);
  const broken = (mutate: (r: Record<string, unknown>) => void) => {
    const r = JSON.parse(JSON.stringify(good));
    mutate(r);
    return () => validateReport(r, "x.json");
  };
  assert.throws(broken((r) => r.schema = "other/9"), /x\.json: schema is "other\/9"/);
  assert.throws(broken((r) => delete (r.device as Record<string, unknown>).arch), /device\.arch/);
  assert.throws(
    broken((r) => ((r.sections as Section[])[0].cases[0] as { role: string }).role = "x"),
    /sections\[0\]\.cases\[0\]\.role/,
  );
  assert.throws(
    broken((r) => ((r.sections as Section[])[1].cases[0] as { x?: number }).x = undefined),
    /sections\[1\]\.cases\[0\]\.x/,
  );
  assert.throws(broken((r) => (r.ratios as { verdict: string }[])[0].verdict = "ok"), /verdict/);
  assert.throws(broken((r) => delete r.androidPath), /androidPath is not an object/);
  assert.throws(() => validateReport([]), /top level/);
});

Deno.test("validateReport brings coreshift-bench/1 and /2 reports up to date", () => {
  const v2 = JSON.parse(JSON.stringify(benchReport()));
  v2.schema = "coreshift-bench/2";
  delete v2.androidPath;
  for (const s of v2.sections) {
    delete s.chart;
    for (const c of s.cases) {
      delete c.series;
      delete c.x;
      if (c.role === "android") c.role = "baseline";
    }
  }
  v2.ratios = [{
    label: "r",
    of: "a",
    to: "b",
    value: 1.2,
    target: { op: "<=", value: 1.1 },
    met: false,
  }];
  v2.limits = [{ label: "l", value: 1, unit: "µs", target: { op: "<=", value: 2 }, met: true }];
  const up = validateReport(v2, "v2.json");
  assert.equal(up.schema, REPORT_SCHEMA);
  assert.equal(up.androidPath.how, "none");
  assert.deepEqual(up.sections.map((s) => s.chart), ["bars", "lines"]);
  assert.deepEqual(
    [up.sections[1].cases[0].series, up.sections[1].cases[1].x],
    ["coreshift vfork", 256],
  );
  assert.deepEqual([up.ratios[0].verdict, up.ratios[0].headline], ["missed", false]);
  assert.equal(up.limits[0].verdict, "met");
  const v1 = JSON.parse(JSON.stringify(v2));
  v1.schema = "coreshift-bench/1";
  delete v1.limits;
  assert.deepEqual(validateReport(v1).limits, []);
  const bad = JSON.parse(JSON.stringify(v2));
  bad.ratios[0].met = "no";
  assert.throws(() => validateReport(bad, "b.json"), /b\.json: ratios\[0\]\.met/);
});

Deno.test("formatReport: headlines first, every case, verdicts in words, emulation called out", () => {
  const r = benchReport({
    device: { ...benchReport().device, emulated: true, emulator: "qemu-aarch64" },
  });
  const text = formatReport(r);
  for (const s of r.sections) for (const c of s.cases) assert.ok(text.includes(c.name), c.name);
  assert.ok(text.indexOf("headline") < text.indexOf(r.sections[0].title), "headlines come first");
  assert.match(
    text,
    /Android's Deno\.Command ÷ coreshift Command, outputSync \(× faster\)\s+5\.67×\s+goal ≥ 5×\s+met/,
  );
  assert.match(text, /Deno\.Command here ÷ coreshift Command, outputSync \(× faster\)\s+3\.33×\n/);
  assert.match(text, /vfork p99\s+65 µs\s+goal ≤ 50 µs\s+MISSED/);
  assert.match(text, /EMULATED \(qemu-aarch64\)/);
  assert.match(text, /Android fork path: preload: made for the test/);
  const bound = formatReport(benchReport({
    ratios: [{ ...r.ratios[0], value: 4, verdict: "floor-bound", best: 4.5 }],
  }));
  assert.match(bound, /4\.00×\s+goal ≥ 5×\s+beyond the floor here \(it reaches 4\.50×\)/);
  assert.doesNotMatch(bound, /4\.00×.*MISSED/);
});

Deno.test("compare: cases paired by section and name, b ÷ a; an old report against a new one", () => {
  const a = benchReport();
  const faster = benchReport({
    sections: [{
      ...a.sections[0],
      cases: a.sections[0].cases.slice(0, 2).map((c) => ({
        ...c,
        stats: stats(c.stats.p50Us / 2),
      })),
    }],
  });
  const rows = compareReports(a, faster);
  assert.equal(rows[0].change, 0.5);
  const lost = rows.find((row) => row.name === "coreshift vfork, stdio null")!;
  assert.deepEqual([lost.b, lost.change], [null, null]);
  const text = formatComparison(a, faster);
  assert.match(text, /C vfork\+exec floor\s+48\s+24\s+0\.50×/);
  assert.match(text, /vfork p99\s+65 µs\s+65 µs\s+≤ 50 µs/);
  const old = JSON.parse(JSON.stringify(a));
  old.schema = "coreshift-bench/2";
  delete old.androidPath;
  old.sections = [{ ...old.sections[0], chart: undefined }];
  old.ratios = [];
  old.limits = [];
  const mixed = formatComparison(validateReport(old), a);
  assert.match(mixed, /coreshift vfork, stdio null\s+54\s+54\s+1\.00×/);
});

Deno.test("markdown: the device, headlines, every goal and a text chart of the spawn section", () => {
  const r = benchReport();
  const md = formatMarkdown(r, "out/chart.svg");
  assert.match(md, /^## coreshift bench on linux x86_64, glibc 2\.36/);
  assert.match(
    md,
    /\| Android's Deno\.Command ÷ coreshift vfork, 256 MiB heap \(× faster\) \| 150\.00× \| ≥ 50× \| met \|/,
  );
  assert.match(md, /\| vfork p99 \| 65 µs \| ≤ 50 µs \| \*\*missed\*\* \|/);
  assert.match(md, /attach `out\/chart\.svg`/);
  const chart = textChart(r.sections[0]).split("\n");
  assert.equal(chart.length, r.sections[0].cases.length);
  const bars = chart.map((line) => (line.match(/█+/) ?? [""])[0].length);
  assert.ok(bars.every((n, i) => i === 0 || n >= bars[i - 1]), `bars grow with p50: ${bars}`);
  assert.match(chart[0], /C vfork\+exec floor\s+█+\s+48 µs$/);
});

Deno.test("device: under qemu-user the kernel runs the host's executables, not Deno's", () => {
  const x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\n";
  assert.equal(kernelArchFrom(true, x86, "aarch64"), "x86_64");
  assert.equal(kernelArchFrom(true, "CPU part\t: 0xd44\n", "x86_64"), "aarch64");
  assert.equal(kernelArchFrom(false, x86, "aarch64"), "aarch64");
});

Deno.test("device: CPU model lines and qemu-user detection", () => {
  assert.equal(cpuModelFrom("processor\t: 0\nmodel name\t: AMD EPYC\n"), "AMD EPYC");
  assert.equal(
    cpuModelFrom("Processor\t: AArch64\nHardware\t: Qualcomm SM8550\n"),
    "Qualcomm SM8550",
  );
  assert.equal(cpuModelFrom("CPU part\t: 0xd44\n"), "0xd44");
  assert.equal(cpuModelFrom(""), null);
  assert.equal(emulatorFrom("Name:\tqemu-aarch64-st\n", "", "aarch64"), "qemu-aarch64-st");
  assert.match(
    emulatorFrom("Name:\tdeno\n", "vendor_id\t: AuthenticAMD\n", "aarch64")!,
    /x86 host/,
  );
  assert.equal(emulatorFrom("Name:\tdeno\n", "vendor_id\t: AuthenticAMD\n", "x86_64"), null);
});

const cli = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
const deno = Deno.env.get("CORESHIFT_TEST_DENO") ?? Deno.execPath();

Deno.test("coreshift bench: a tiny real run writes a valid report and chart; --compare reads them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = (args: string[]) =>
      new Deno.Command(deno, {
        args: ["run", "-A", "--no-config", cli, "bench", ...args],
        stdin: "null",
      }).output();
    const out = await run([
      "--rounds",
      "1",
      "--per-round",
      "2",
      "--async-rounds",
      "1",
      "--heaps",
      "0,8",
      "--fds",
      "4",
      "--output-mib",
      "4",
      "--json",
      "--out",
      `${dir}/a.json`,
      "--svg",
      `${dir}/a.svg`,
      "--md",
      `${dir}/a.md`,
    ]);
    const text = new TextDecoder();
    assert.equal(out.code, 0, text.decode(out.stderr));
    assert.equal(text.decode(out.stderr), "", "no progress line when not on a terminal");
    const printed = validateReport(JSON.parse(text.decode(out.stdout)), "stdout");
    const saved = validateReport(JSON.parse(await Deno.readTextFile(`${dir}/a.json`)), "a.json");
    assert.deepEqual(saved, printed);
    assert.equal(saved.mode, "custom");
    assert.equal(saved.device.emulated, Deno.env.get("CORESHIFT_TEST_DENO") !== undefined);
    const names = saved.sections.flatMap((s) => s.cases.map((c) => c.name));
    for (
      const wanted of [
        "coreshift vfork, stdio null",
        "Deno FFI floor: helper fork",
        "Deno.Command output(), piped",
        "coreshift Command outputSync, true",
        "Deno.Command outputSync, sh -c :",
        "coreshift spawnOffThread, 64 concurrent",
        "coreshift vfork closeFrom3, +4 fds",
        "coreshift fork, 8 MiB heap",
        "coreshift spawn, 5 ms timeout lateness",
        "coreshift runSync, 4 MiB through a 1 MiB cap",
      ]
    ) {
      assert.ok(names.includes(wanted), `missing case ${wanted}`);
    }
    assert.deepEqual(
      saved.sections.map((s) => s.id),
      ["spawn", "programs", "async", "fds", "heap", "cancel", "output"],
    );
    // The Android path: taken on purpose and checked natively; said why not under qemu.
    const android = names.filter((n) => n.includes("Android fork path"));
    if (saved.device.emulated) {
      assert.equal(saved.androidPath.how, "none");
      assert.deepEqual(android, []);
    } else {
      assert.equal(saved.androidPath.how, "preload", saved.androidPath.detail);
      for (
        const wanted of [
          "Deno.Command outputSync, piped, Android fork path",
          "Deno.Command outputSync, true, Android fork path",
          "Deno.Command outputSync, Android fork path, 8 MiB heap",
        ]
      ) assert.ok(android.includes(wanted), `missing case ${wanted}`);
      assert.ok(saved.ratios.some((r) => r.headline && r.of.includes("Android")));
    }
    const heap = saved.sections.find((s) => s.id === "heap")!;
    assert.equal(heap.chart, "lines");
    assert.ok(heap.cases.every((c) => c.series && (c.x === 0 || c.x === 8)));
    const limits = saved.limits.map((l) => l.label);
    assert.ok(limits.includes("spawn timeout lateness, p99"), limits.join("; "));
    assert.ok(
      limits.some((l) => l.startsWith("runSync parent RSS growth, 4 MiB")),
      limits.join("; "),
    );
    const svg = await Deno.readTextFile(`${dir}/a.svg`);
    assertWellFormed(svg);
    for (const s of saved.sections) assert.ok(svg.includes(escapeXml(s.title)), s.title);
    assert.match(await Deno.readTextFile(`${dir}/a.md`), /\| headline \(p50 ratio, this run\)/);
    const cmp = await run(["--compare", `${dir}/a.json`, `${dir}/a.json`, "--svg", `${dir}/c.svg`]);
    assert.equal(cmp.code, 0, text.decode(cmp.stderr));
    assert.match(text.decode(cmp.stdout), /coreshift vfork, stdio null\s+\d+\s+\d+\s+1\.00×/);
    assertWellFormed(await Deno.readTextFile(`${dir}/c.svg`));
    await Deno.writeTextFile(`${dir}/bad.json`, "{}");
    const bad = await run(["--compare", `${dir}/a.json`, `${dir}/bad.json`]);
    assert.equal(bad.code, 1);
    assert.match(text.decode(bad.stderr), /bad\.json: schema/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
