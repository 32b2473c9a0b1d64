/**
 * The bench charts as a person sees them: every case drawn, no two labels on top of each other,
 * everything inside the picture, bars on a log axis, and rendered to PNG by rsvg-convert (which
 * .ci/run installs) with each bar's colour where the layout put it.
 */
import assert from "node:assert/strict";
import { renderComparisonSvg, renderSvg } from "../bench/chart/document.ts";
import { formatDuration, logScale } from "../bench/chart/scale.ts";
import { escapeXml, ROLE_COLOURS } from "../bench/chart/svg_text.ts";
import type { BenchReport } from "../bench/report.ts";
import { benchReport, stats } from "./_bench_report.ts";
import { decodePng } from "./_png.ts";
import { assertWellFormed, attr, type TextBox, textBoxes } from "./_svg.ts";

function size(svg: string): { width: number; height: number } {
  const root = /<svg([^>]*)>/.exec(svg)![1];
  return { width: Number(attr(root, "width")), height: Number(attr(root, "height")) };
}

/** No two texts overlap and every text lies inside the picture. */
function assertLegible(svg: string): void {
  const { width, height } = size(svg);
  const boxes = textBoxes(svg);
  const overlap = (a: TextBox, b: TextBox) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const box of boxes) {
    assert.ok(
      box.left >= 0 && box.right <= width && box.top >= 0 && box.bottom <= height,
      `"${box.text}" leaves the ${width}×${height} picture`,
    );
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      assert.ok(!overlap(boxes[i], boxes[j]), `"${boxes[i].text}" overlaps "${boxes[j].text}"`);
    }
  }
}

/** A report whose spawn section spans 10 µs to 40 ms, with names as long as real ones. */
function wideReport(): BenchReport {
  const r = benchReport();
  const spawn = r.sections[0];
  return {
    ...r,
    sections: [
      {
        ...spawn,
        cases: [
          ...spawn.cases,
          {
            name: "coreshift fork, stdio null, with a name as long as any",
            role: "coreshift",
            stats: stats(40_000),
          },
          { name: "Deno FFI floor: helper vfork at rest", role: "floor", stats: stats(12) },
        ],
      },
      r.sections[1],
    ],
  };
}

Deno.test("log scale: decades around the values, durations as people write them", () => {
  const scale = logScale([52, 40_000], 100, 400);
  assert.deepEqual(scale.ticks.map((t) => t.label), ["10 µs", "100 µs", "1 ms", "10 ms", "100 ms"]);
  assert.equal(scale.at(10), 100);
  assert.equal(scale.at(100_000), 400);
  assert.ok(Math.abs(scale.at(1000) - 250) < 1e-9, "a decade is the same width everywhere");
  assert.deepEqual([formatDuration(5.25), formatDuration(525), formatDuration(1500)], [
    "5.3 µs",
    "525 µs",
    "1.5 ms",
  ]);
  assert.equal(formatDuration(2_000_000), "2 s");
});

Deno.test("report chart: every section, every case, every series; legible", () => {
  const r = wideReport();
  const svg = renderSvg(r);
  assertWellFormed(svg);
  assertLegible(svg);
  for (const s of r.sections) {
    assert.ok(svg.includes(escapeXml(s.title)), s.title);
    for (const c of s.cases) assert.ok(svg.includes(`data-case="${escapeXml(c.name)}"`), c.name);
  }
  for (const series of new Set(r.sections[1].cases.map((c) => c.series!))) {
    assert.ok(svg.includes(`data-series="${escapeXml(series)}"`), series);
  }
  for (const ratio of r.ratios.filter((x) => x.headline || x.target)) {
    assert.ok(svg.includes(escapeXml(ratio.label)), `verdict row ${ratio.label}`);
  }
  assert.match(svg, />met</, "the verdicts are in the chart");
  const one = renderSvg(r, "heap");
  assert.ok(!one.includes(escapeXml(r.sections[0].title)), "one section only");
  assert.throws(() => renderSvg(r, "nope"), /no section nope/);
});

Deno.test("report chart: a 12 µs bar and a 40 ms bar are both legible (log axis)", () => {
  const svg = renderSvg(wideReport(), "spawn");
  const width = (name: string) =>
    Number(attr(new RegExp(`<rect data-case="${escapeXml(name)}"([^>]*)>`).exec(svg)![1], "width"));
  const small = width("Deno FFI floor: helper vfork at rest");
  const large = width("coreshift fork, stdio null, with a name as long as any");
  assert.ok(small >= 20, `the 12 µs bar is ${small} px`);
  assert.ok(large / small < 5, `40 ms is ${large / small}× the 12 µs bar, not 3,300×`);
});

Deno.test("comparison chart: two bars a case, legible, cases of one run only drawn once", () => {
  const a = benchReport();
  const b = benchReport({ sections: [{ ...a.sections[0], cases: a.sections[0].cases.slice(1) }] });
  const svg = renderComparisonSvg(a, b);
  assertWellFormed(svg);
  assertLegible(svg);
  const bars = (run: string) => [...svg.matchAll(new RegExp(`data-run="${run}"`, "g"))].length;
  const total = a.sections.reduce((n, s) => n + s.cases.length, 0);
  assert.equal(bars("a"), total);
  assert.equal(bars("b"), a.sections[0].cases.length - 1);
});

const rsvg = (() => {
  try {
    return new Deno.Command("rsvg-convert", { args: ["--version"] }).outputSync().success;
  } catch {
    return false;
  }
})();

// CI installs rsvg-convert; elsewhere its absence skips this one case, and says so.
const skipPng = !rsvg && !Deno.env.get("CI");
Deno.test({
  name:
    "report chart rendered to PNG: the picture's size, and each bar's colour where it is drawn" +
    (skipPng ? " [skipped: rsvg-convert is not installed]" : ""),
  ignore: skipPng,
  fn() {
    const svg = renderSvg(wideReport());
    const out = new Deno.Command("rsvg-convert", {
      args: ["--format", "png"],
      stdin: "piped",
      stdout: "piped",
    })
      .spawn();
    const writer = out.stdin.getWriter();
    return (async () => {
      await writer.write(new TextEncoder().encode(svg));
      await writer.close();
      const { success, stdout } = await out.output();
      assert.ok(success, "rsvg-convert failed");
      const image = decodePng(stdout);
      assert.deepEqual([image.width, image.height], [size(svg).width, size(svg).height]);
      const hex = (rgb: number[]) =>
        "#" + rgb.slice(0, 3).map((v) => v.toString(16).padStart(2, "0")).join("");
      let checked = 0;
      for (const m of svg.matchAll(/<rect data-case="[^"]*" data-role="(\w+)"([^>]*)>/g)) {
        const x = Number(attr(m[2], "x")) + Number(attr(m[2], "width")) / 2;
        const y = Number(attr(m[2], "y")) + Number(attr(m[2], "height")) / 2;
        const colour = ROLE_COLOURS[m[1] as keyof typeof ROLE_COLOURS];
        assert.equal(hex(image.pixel(Math.floor(x), Math.floor(y))), colour, `bar at ${x},${y}`);
        checked++;
      }
      assert.ok(checked >= 9, `${checked} bars checked`);
      assert.deepEqual(image.pixel(2, 2).slice(0, 3), [255, 255, 255], "a white background");
    })();
  },
});
