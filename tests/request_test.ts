/**
 * HelperRequest: each field lands at its offset from the ABI table, little-endian, and nowhere
 * else; clear() zero-fills for reuse.
 * @module
 */
import assert from "node:assert/strict";
import { HELPER_REQUEST_LP64 } from "../ffi/abi/helper_request.ts";
import { HelperRequest } from "../ffi/native/request.ts";

const layout = HELPER_REQUEST_LP64;

Deno.test("HelperRequest writes each field at its table offset and touches nothing else", () => {
  const request = new HelperRequest(layout);
  assert.equal(request.bytes.length, layout.size);
  request.u64("stackSize", 0x0102030405060708n).i32("stdio", -1, 2).i32("pgid", 77);
  const view = new DataView(request.bytes.buffer);
  assert.equal(view.getBigUint64(layout.offsets.stackSize, true), 0x0102030405060708n);
  assert.equal(view.getInt32(layout.offsets.stdio + 8, true), -1, "stdio[2]");
  assert.equal(request.readI32("pgid"), 77);
  const written = 8 + 4 + 1; // nonzero bytes: all eight, all four of -1, one of 77
  assert.equal(request.bytes.filter((b) => b !== 0).length, written);
  request.pointer("cwd", null);
  assert.equal(view.getBigUint64(layout.offsets.cwd, true), 0n, "null is NULL");
  assert.equal(request.clear().bytes.every((b) => b === 0), true);
});

Deno.test("the request's fields do not overlap and fit its size", () => {
  const fields = Object.entries(layout.offsets).sort((a, b) => a[1] - b[1]);
  for (let i = 1; i < fields.length; i++) {
    assert.ok(fields[i][1] >= fields[i - 1][1] + 4, `${fields[i - 1][0]} → ${fields[i][0]}`);
  }
  assert.ok(fields.at(-1)![1] + 4 <= layout.size);
});
