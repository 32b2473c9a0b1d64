/** Reading the bench's SVG in tests: well-formedness, and every text's drawn box. */
import assert from "node:assert/strict";
import { CHAR_WIDTH, FONT_PX } from "../bench/chart/svg_text.ts";

const TAG = /<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;

/** Tags balance and every attribute is quoted: the SVG is well-formed XML. */
export function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(TAG)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], "unclosed elements");
  assert.ok(!/[<>]/.test(svg.replace(TAG, "")), "a stray < or > outside a tag");
  assert.ok(!/&(?!#\d+;|amp;|lt;|gt;|quot;)/.test(svg), "an unescaped &");
}

/** One attribute of an element's attribute text, as a string. */
export function attr(attrs: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
}

/** A drawn text: its content and the box the layout gives it. */
export interface TextBox {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Every `<text>` of `svg` with its box (width by the layout's own character width). */
export function textBoxes(svg: string): TextBox[] {
  return [...svg.matchAll(/<text((?:\s+[\w:-]+="[^"]*")*)>([^<]*)<\/text>/g)].map((m) => {
    const size = Number(attr(m[1], "font-size") ?? FONT_PX);
    const content = m[2].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
    const width = content.length * size * CHAR_WIDTH;
    const x = Number(attr(m[1], "x"));
    const y = Number(attr(m[1], "y"));
    const anchor = attr(m[1], "text-anchor") ?? "start";
    const left = anchor === "end" ? x - width : anchor === "middle" ? x - width / 2 : x;
    return {
      text: content,
      left,
      right: left + width,
      top: y - size * 0.8,
      bottom: y + size * 0.2,
    };
  });
}
