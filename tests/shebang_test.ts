/** The #! line as the kernel reads it (ffi/plan/shebang.ts). */
import assert from "node:assert/strict";
import { parseShebang } from "../ffi/plan/shebang.ts";

const enc = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("parseShebang follows the kernel: one interpreter, the rest is one argument", () => {
  const parse = (s: string) => {
    const r = parseShebang(enc.encode(s));
    return r && [text(r.interpreter), r.arg && text(r.arg)];
  };
  assert.deepEqual(parse("#!/bin/sh\necho"), ["/bin/sh", null]);
  assert.deepEqual(parse("#! /usr/bin/env  python3 -u \r\n"), ["/usr/bin/env", "python3 -u"]);
  assert.deepEqual(parse("#!\t/bin/bash"), ["/bin/bash", null]);
  assert.equal(parse("#!\n"), null);
  assert.equal(parse("\x7fELF"), null);
  assert.equal(parse("# !/bin/sh"), null);
});
