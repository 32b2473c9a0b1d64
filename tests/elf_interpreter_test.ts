/**
 * hasElfInterpreter: a dynamically linked program names its loader (PT_INTERP); a static one, a
 * script, a 32-bit ELF, a short or missing file does not.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hasElfInterpreter } from "../ffi/plan/elf_interpreter.ts";
import { cString } from "../ffi/os/cstrings.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

const check = (path: string) => hasElfInterpreter(cString(new TextEncoder().encode(path)));

/** A 64-bit little-endian ELF header with `count` program headers of the given types. */
function elf(types: number[], elfClass = 2): Uint8Array {
  const phoff = 64;
  const bytes = new Uint8Array(phoff + types.length * 56);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, elfClass, 1, 1]);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(32, BigInt(phoff), true);
  view.setUint16(54, 56, true);
  view.setUint16(56, types.length, true);
  types.forEach((type, i) => view.setUint32(phoff + i * 56, type, true));
  return bytes;
}

Deno.test("hasElfInterpreter: PT_INTERP anywhere among the program headers", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const write = (name: string, bytes: Uint8Array) => {
      Deno.writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    assert.equal(check(write("dynamic", elf([6, 1, 3, 1]))), true);
    assert.equal(check(write("static", elf([1, 1, 4]))), false);
    assert.equal(check(write("elf32", elf([3], 1))), false, "only 64-bit ELF is read");
    assert.equal(check(write("script", new TextEncoder().encode("#!/bin/sh\necho\n"))), false);
    assert.equal(check(write("short", elf([3]).subarray(0, 40))), false);
    assert.equal(check(join(dir, "missing")), false, "unreadable: exec reports it instead");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("hasElfInterpreter: this machine's sh is dynamic, the libc-free bench child is not", () => {
  assert.equal(check(Deno.realPathSync("/bin/sh")), true);
  const arch = Deno.build.arch;
  const noop = new URL(`../bench/children/prebuilt/linux-${arch}/noop`, import.meta.url);
  assert.equal(check(noop.pathname), false);
});
