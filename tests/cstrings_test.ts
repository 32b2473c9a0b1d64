/**
 * C strings and `char *[]` blocks: what libc reads through the pointers is exactly the bytes
 * given, NUL-terminated, with a NULL after the last pointer.
 * @module
 */
import assert from "node:assert/strict";
import { cString, cStringArray, readEnviron, toBytes } from "../ffi/os/cstrings.ts";
import { libc } from "../ffi/os/libc.ts";
import { readCString } from "./_cstring_read.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("cString: the bytes then one NUL; toBytes encodes strings as UTF-8", () => {
  assert.deepEqual(cString(new Uint8Array([0x61, 0x62])), new Uint8Array([0x61, 0x62, 0]));
  assert.deepEqual(cString(new Uint8Array(0)), new Uint8Array([0]));
  assert.deepEqual(toBytes("é"), new Uint8Array([0xc3, 0xa9]));
  const raw = new Uint8Array([0xff]);
  assert.equal(toBytes(raw), raw, "bytes pass through uncopied");
});

Deno.test("cStringArray: every pointer reads back its string; NULL ends the array", () => {
  const items = ["prog", "", "with space", "ünïcode"].map((s) => toBytes(s));
  items.push(new Uint8Array([0xfe, 0x01])); // not UTF-8: passed as it is
  const array = cStringArray(items);
  assert.equal(array.pointers.length, items.length + 1);
  assert.equal(array.pointers[items.length], 0n);
  for (let i = 0; i < items.length; i++) assert.deepEqual(readCString(array.pointers[i]), items[i]);
  assert.equal(
    BigInt(Deno.UnsafePointer.value(array.pointer)),
    BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(array.block))),
    "the pointer is the block's start, where the pointer table lives",
  );
  assert.deepEqual(cStringArray([]).pointers, new BigUint64Array([0n]));
});

Deno.test("readEnviron: this process's environ as the kernel gave it; null reads nothing", () => {
  const c = libc();
  const entries = readEnviron(c.symbols.environ, c.symbols.strlen);
  const decoded = entries.map((e) => new TextDecoder().decode(e));
  const path = Deno.env.get("PATH");
  if (path !== undefined) assert.ok(decoded.includes(`PATH=${path}`));
  assert.ok(decoded.every((e) => e.includes("=")));
  assert.deepEqual(readEnviron(null, c.symbols.strlen), []);
});
