/**
 * An SVG chart of one report section: a bar per case at its p50 with a whisker to p90, coloured
 * by role, and a dashed line across the chart at each C floor and each Deno.Command baseline, so
 * "how far from the floor, how far below Deno.Command" reads at a glance.
 * @module
 */
import type { BenchReport, CaseRole, Section } from "./report.ts";

const COLOURS: Record<CaseRole, string> = {
  floor: "#6b7280",
  baseline: "#d97706",
  coreshift: "#2563eb",
};

const ROW = 26;
const LABEL_WIDTH = 300;
const PLOT_WIDTH = 460;
const TOP = 56;

/** Escapes text for XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The chart of `section` (default: the report's first) as a standalone SVG document. */
export function renderSvg(report: BenchReport, sectionId?: string): string {
  const section: Section | undefined = sectionId
    ? report.sections.find((s) => s.id === sectionId)
    : report.sections[0];
  if (!section) throw new Error(`no section ${sectionId ?? ""} in the report`);
  const max = Math.max(...section.cases.map((c) => c.stats.p90Us), 1);
  const x = (us: number) => LABEL_WIDTH + (us / max) * PLOT_WIDTH;
  const height = TOP + section.cases.length * ROW + 40;
  const width = LABEL_WIDTH + PLOT_WIDTH + 80;
  const d = report.device;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(section.title)}</text>`,
    `<text x="10" y="38" fill="#374151">${
      escapeXml(
        `${d.arch} ${d.libc} ${d.libcVersion}, ${d.cpuModel ?? "?"} × ${d.cores}, Deno ${d.deno}` +
          (d.emulated ? ` — EMULATED (${d.emulator})` : ""),
      )
    } · p50 bar, p90 whisker, µs</text>`,
  ];
  section.cases.forEach((c, i) => {
    const y = TOP + i * ROW;
    const s = c.stats;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${escapeXml(c.name)}</text>`,
      `<rect data-case="${escapeXml(c.name)}" data-role="${c.role}" x="${LABEL_WIDTH}" y="${
        y + 4
      }" ` +
        `width="${(x(s.p50Us) - LABEL_WIDTH).toFixed(1)}" height="16" fill="${COLOURS[c.role]}"/>`,
      `<line x1="${x(s.p50Us).toFixed(1)}" y1="${y + 12}" x2="${x(s.p90Us).toFixed(1)}" ` +
        `y2="${y + 12}" stroke="#111827"/>`,
      `<text x="${(x(s.p90Us) + 6).toFixed(1)}" y="${y + 16}" fill="#111827">${
        s.p50Us.toFixed(0)
      }</text>`,
    );
  });
  const bottom = TOP + section.cases.length * ROW;
  for (const c of section.cases.filter((k) => k.role !== "coreshift")) {
    const at = x(c.stats.p50Us).toFixed(1);
    parts.push(
      `<line data-marker="${c.role}" x1="${at}" y1="${TOP}" x2="${at}" y2="${bottom}" ` +
        `stroke="${COLOURS[c.role]}" stroke-dasharray="4 3"/>`,
    );
  }
  const legend: [CaseRole, string][] = [
    ["floor", "C floor"],
    ["baseline", "Deno.Command"],
    ["coreshift", "coreshift"],
  ];
  legend.forEach(([role, label], i) => {
    const lx = LABEL_WIDTH + i * 130;
    parts.push(
      `<rect x="${lx}" y="${bottom + 14}" width="12" height="12" fill="${COLOURS[role]}"/>`,
      `<text x="${lx + 18}" y="${bottom + 24}">${label}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
