/**
 * concatBytes: chunks joined in order into one array of exactly their length.
 * @module
 */
import assert from "node:assert/strict";
import { concatBytes } from "../ffi/os/bytes.ts";

Deno.test("concatBytes joins in order, views included; nothing gives an empty array", () => {
  const backing = new Uint8Array([9, 9, 3, 4, 9]);
  const joined = concatBytes([new Uint8Array([1, 2]), backing.subarray(2, 4), new Uint8Array(0)]);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3, 4]));
  assert.equal(joined.buffer.byteLength, 4, "exactly the total, not a larger buffer");
  assert.deepEqual(concatBytes([]), new Uint8Array(0));
});
