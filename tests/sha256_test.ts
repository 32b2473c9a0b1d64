/**
 * SHA-256 as the prebuilt files are checked by it.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileSha256Hex, sha256Hex } from "../ffi/native/sha256.ts";

Deno.test("sha256Hex: the FIPS 180-2 vectors; fileSha256Hex: a file's, undefined if unreadable", () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(sha256Hex(abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    sha256Hex(new Uint8Array(0)),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeFileSync(join(dir, "f"), abc);
    assert.equal(fileSha256Hex(join(dir, "f")), sha256Hex(abc));
    assert.equal(fileSha256Hex(join(dir, "missing")), undefined);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
