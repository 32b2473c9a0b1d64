/**
 * The bench suite's output, not its timings: the report writer and its schema, the comparison,
 * the SVG, device detection, and one tiny run of the real suite through the CLI so it cannot
 * rot. No test asserts a timing.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { compareReports, formatComparison } from "../bench/compare.ts";
import { cpuModelFrom, emulatorFrom } from "../bench/device.ts";
import {
  type BenchReport,
  caseLimitsFor,
  formatReport,
  limit,
  ratiosFor,
  REPORT_SCHEMA,
  roleOf,
  type Section,
  validateReport,
} from "../bench/report.ts";
import { TARGETS } from "../bench/suite.ts";
import { renderSvg } from "../bench/svg.ts";
import { summarize } from "../bench/stats.ts";

const stats = (p50: number) => summarize([p50 * 0.9, p50, p50 * 1.2]);

function report(over: Partial<BenchReport> = {}): BenchReport {
  const sections: Section[] = [{
    id: "spawn",
    title: "spawn <latency> & more",
    cases: [
      { name: "C vfork+exec floor", role: "floor", stats: stats(500) },
      { name: "coreshift vfork, stdio null", role: "coreshift", stats: stats(525) },
      { name: "Deno.Command outputSync, stdio null", role: "baseline", stats: stats(1500) },
      { name: 'odd "name" <&>', role: "coreshift", stats: stats(700) },
    ],
  }];
  return {
    schema: REPORT_SCHEMA,
    createdAt: "2026-11-23T00:00:00.000Z",
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
    notes: [],
    sections,
    ratios: ratiosFor(sections, TARGETS),
    limits: [
      limit("spawn timeout lateness, p99", 2500, "µs", "<=", 2000),
      limit("runSync parent RSS growth, 1 GiB through a 1 MiB cap", 2.5, "MiB", "<=", 16),
    ],
    ...over,
  };
}

Deno.test("roles come from case names", () => {
  assert.equal(roleOf("C posix_spawn floor"), "floor");
  assert.equal(roleOf("Deno.Command output(), piped"), "baseline");
  assert.equal(roleOf("coreshift vfork, capture"), "coreshift");
});

Deno.test("ratios: p50 over p50, held to the target, absent cases left out", () => {
  const r = report();
  assert.equal(r.ratios.length, 1, "only the vfork/floor pair was measured");
  const [vfork] = r.ratios;
  assert.equal(vfork.of, "coreshift vfork, stdio null");
  assert.ok(Math.abs(vfork.value - 1.05) < 1e-9);
  assert.equal(vfork.met, true);
  const slow = ratiosFor(
    [{
      id: "s",
      title: "s",
      cases: [
        { name: "a", role: "coreshift", stats: stats(300) },
        { name: "b", role: "floor", stats: stats(100) },
      ],
    }],
    [{ label: "a/b", of: "a", to: "b", op: "<=", target: 1.1 }, {
      label: "b/a",
      of: "b",
      to: "a",
      op: ">=",
      target: 2,
    }],
  );
  assert.deepEqual(slow.map((x) => x.met), [false, false]);
});

Deno.test("ratios: a floor case stands in for `of` to give the best value reachable here", () => {
  const sections: Section[] = [{
    id: "s",
    title: "s",
    cases: [
      { name: "ours", role: "coreshift", stats: stats(300) },
      { name: "Deno FFI floor: x", role: "floor", stats: stats(180) },
      { name: "C floor", role: "floor", stats: stats(120) },
    ],
  }];
  const [withBest, absent] = ratiosFor(sections, [
    {
      label: "ours/C",
      of: "ours",
      to: "C floor",
      op: "<=",
      target: 1.1,
      bestFrom: "Deno FFI floor: x",
    },
    { label: "no floor", of: "ours", to: "C floor", op: "<=", target: 1.1, bestFrom: "missing" },
  ]);
  assert.equal(withBest.bestFrom, "Deno FFI floor: x");
  assert.ok(Math.abs(withBest.best! - 1.5) < 1e-9, `best ${withBest.best}`);
  assert.equal(absent.best, undefined, "an unmeasured floor gives no bound");
  assert.equal(roleOf("Deno FFI floor: x"), "floor");
  const r = report({ ratios: [withBest] });
  assert.deepEqual(validateReport(JSON.parse(JSON.stringify(r))).ratios[0], withBest);
  assert.match(formatReport(r), /best reachable here 1\.50×/);
  const broken = JSON.parse(JSON.stringify(r));
  broken.ratios[0].best = "fast";
  assert.throws(() => validateReport(broken, "r.json"), /r\.json: ratios\[0\]\.best/);
});

Deno.test("limits: a case's statistic or a figure held to a bound, absent cases left out", () => {
  const sections = report().sections;
  const limits = caseLimitsFor(sections, [
    {
      label: "p99 fast",
      case: "coreshift vfork, stdio null",
      stat: "p99Us",
      op: "<=",
      target: 700,
    },
    {
      label: "p50 slow",
      case: "coreshift vfork, stdio null",
      stat: "p50Us",
      op: "<=",
      target: 500,
    },
    { label: "absent", case: "no such case", stat: "p50Us", op: "<=", target: 1 },
  ]);
  assert.deepEqual(limits.map((l) => [l.label, l.value, l.unit, l.met]), [
    ["p99 fast", 630, "µs", true],
    ["p50 slow", 525, "µs", false],
  ]);
  assert.equal(limit("x", 3, "MiB", ">=", 2).met, true);
  assert.equal(limit("x", 1, "MiB", ">=", 2).met, false);
});

Deno.test("validateReport reads coreshift-bench/1 reports (no limits) and checks limits", () => {
  const v1 = JSON.parse(JSON.stringify(report()));
  v1.schema = "coreshift-bench/1";
  delete v1.limits;
  assert.deepEqual(validateReport(v1).limits, []);
  const bad = JSON.parse(JSON.stringify(report()));
  bad.limits[1].target.op = "<";
  assert.throws(() => validateReport(bad, "b.json"), /b\.json: limits\[1\]\.target\.op/);
  const missing = JSON.parse(JSON.stringify(report()));
  delete missing.limits;
  assert.throws(() => validateReport(missing), /limits is not an array/);
});

Deno.test("validateReport accepts a report and names the first wrong field", () => {
  const good = report();
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
    broken((r) => ((r.sections as Section[])[0].cases[1].stats as { p50Us: unknown }).p50Us = "1"),
    /cases\[1\]\.stats\.p50Us/,
  );
  assert.throws(() => validateReport([]), /top level/);
});

Deno.test("formatReport: every case and ratio, the device, emulation called out", () => {
  const text = formatReport(
    report({ device: { ...report().device, emulated: true, emulator: "qemu-aarch64-st" } }),
  );
  for (const c of report().sections[0].cases) assert.ok(text.includes(c.name), c.name);
  assert.match(text, /vfork, stdio null ÷ C vfork\+exec floor\s+1\.05×\s+target <= 1\.10×\s+met/);
  assert.match(text, /EMULATED \(qemu-aarch64-st\)/);
  assert.match(text, /spawn timeout lateness, p99\s+2500 µs\s+target <= 2000 µs\s+MISSED/);
  assert.match(
    text,
    /RSS growth, 1 GiB through a 1 MiB cap\s+2\.5 MiB\s+target <= 16\.0 MiB\s+met/,
  );
  assert.match(text, /Test CPU × 2, Deno 2\.9\.5/);
});

Deno.test("compare: cases paired by section and name, b ÷ a, missing shown as missing", () => {
  const a = report();
  const faster = report({
    sections: [{
      ...a.sections[0],
      cases: a.sections[0].cases.slice(0, 2).map((c) => ({
        ...c,
        stats: stats(c.stats.p50Us / 2),
      })),
    }],
  });
  const rows = compareReports(a, faster);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].change, 0.5);
  assert.equal(rows[3].b, null);
  assert.equal(rows[3].change, null);
  const text = formatComparison(a, faster);
  assert.match(text, /C vfork\+exec floor\s+500\s+250\s+0\.50×/);
  assert.match(text, /Deno\.Command outputSync, stdio null\s+1500\s+—\s+—/);
  assert.match(text, /spawn timeout lateness, p99\s+2500 µs\s+2500 µs\s+<= 2000 µs/);
  const noLimits = formatComparison(a, { ...faster, limits: [] });
  assert.match(noLimits, /RSS growth, 1 GiB through a 1 MiB cap\s+2\.5 MiB\s+—/);
});

/** Tags balance and every attribute is quoted: the SVG is well-formed XML. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], "unclosed elements");
  const stripped = svg.replace(/<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, "");
  assert.ok(!/[<>]/.test(stripped), "a stray < or > outside a tag");
  assert.ok(!/&(?!#\d+;|amp;|lt;|gt;|quot;)/.test(svg), "an unescaped &");
}

Deno.test("SVG: well-formed, a bar per case, floor and Deno.Command marked", () => {
  const svg = renderSvg(report(), "spawn");
  assertWellFormed(svg);
  for (const c of report().sections[0].cases) {
    const escaped = c.name.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    assert.ok(svg.includes(`data-case="${escaped}"`), `no bar for ${c.name}`);
  }
  assert.match(svg, /data-marker="floor"/);
  assert.match(svg, /data-marker="baseline"/);
  assert.throws(() => renderSvg(report(), "nope"), /no section nope/);
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
        "Deno.Command output(), piped",
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
      ["spawn", "async", "fds", "heap", "cancel", "output"],
    );
    const limits = saved.limits.map((l) => l.label);
    assert.ok(limits.includes("spawn timeout lateness, p99"), limits.join("; "));
    assert.ok(
      limits.some((l) => l.startsWith("runSync parent RSS growth, 4 MiB")),
      limits.join("; "),
    );
    assertWellFormed(await Deno.readTextFile(`${dir}/a.svg`));
    const cmp = await run(["--compare", `${dir}/a.json`, `${dir}/a.json`]);
    assert.equal(cmp.code, 0, text.decode(cmp.stderr));
    assert.match(text.decode(cmp.stdout), /coreshift vfork, stdio null\s+\d+\s+\d+\s+1\.00×/);
    await Deno.writeTextFile(`${dir}/bad.json`, "{}");
    const bad = await run(["--compare", `${dir}/a.json`, `${dir}/bad.json`]);
    assert.equal(bad.code, 1);
    assert.match(text.decode(bad.stderr), /bad\.json: schema/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
