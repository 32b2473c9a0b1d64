/**
 * Small pieces every chart is made of: XML escaping, text with a known footprint (so tests and
 * layout can reason about overlap), and the colours of each role.
 * @module
 */
import type { CaseRole } from "../report.ts";

/** Escapes text for XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The font size of every chart's body text, px. */
export const FONT_PX = 12;
/** Average advance of a character of the chart font, as a share of its size. */
export const CHAR_WIDTH = 0.6;

/** How wide `text` is drawn at `px`, as the layout reckons it. */
export function textWidth(text: string, px = FONT_PX): number {
  return text.length * px * CHAR_WIDTH;
}

/** A `<text>` element; `anchor` as SVG's text-anchor. */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: { anchor?: "start" | "middle" | "end"; size?: number; fill?: string; bold?: boolean } = {},
): string {
  const extra = [
    attrs.anchor && attrs.anchor !== "start" ? ` text-anchor="${attrs.anchor}"` : "",
    attrs.size ? ` font-size="${attrs.size}"` : "",
    attrs.fill ? ` fill="${attrs.fill}"` : "",
    attrs.bold ? ` font-weight="bold"` : "",
  ].join("");
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${extra}>${escapeXml(content)}</text>`;
}

/** The colour of each role's bars. */
export const ROLE_COLOURS: Readonly<Record<CaseRole, string>> = {
  floor: "#6b7280",
  baseline: "#d97706",
  android: "#dc2626",
  coreshift: "#2563eb",
};

/** What each role is called in a legend. */
export const ROLE_NAMES: Readonly<Record<CaseRole, string>> = {
  floor: "floor (C, Deno FFI)",
  baseline: "Deno.Command here",
  android: "Deno.Command, Android fork path",
  coreshift: "coreshift",
};
