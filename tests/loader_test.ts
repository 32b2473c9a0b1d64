/**
 * The native helper's loader: a prebuilt helper is loaded only with its SHA-256, and a missing compiler names the fixes.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildFromSource, openVerified } from "../ffi/native/loader.ts";
import { PREBUILT_SHA256 } from "../ffi/native/prebuilt/hashes.ts";
import { assertCoreError } from "./_harness.ts";

Deno.test("loader: a tampered helper is refused before dlopen", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const original = new URL(
      `../ffi/native/prebuilt/linux-${Deno.build.arch}/libcoreshift_helper.so`,
      import.meta.url,
    );
    const bytes = Deno.readFileSync(original);
    bytes[bytes.length - 1] ^= 0xff;
    const copy = join(dir, "libcoreshift_helper.so");
    Deno.writeFileSync(copy, bytes);
    const err = assertCoreError(
      () => openVerified(copy, PREBUILT_SHA256[Deno.build.arch]),
      "NativeHelperUnavailable",
    );
    assert.match(err.message, /SHA-256.*refusing/);
    const missing = assertCoreError(
      () => openVerified(join(dir, "nope.so"), "00"),
      "NativeHelperUnavailable",
    );
    assert.match(missing.message, /prepareNativeHelper|CORESHIFT_NATIVE/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loader: the prebuilt hash table matches SHA256SUMS", () => {
  const sums = Deno.readTextFileSync(new URL("../ffi/native/prebuilt/SHA256SUMS", import.meta.url));
  for (const [arch, hash] of Object.entries(PREBUILT_SHA256)) {
    assert.ok(sums.includes(`${hash}  linux-${arch}/libcoreshift_helper.so`), arch);
  }
});

Deno.test("loader: without a compiler the documented error names the fixes", () => {
  const err = assertCoreError(
    () => buildFromSource("riscv64", "coreshift-no-such-cc"),
    "NativeHelperUnavailable",
  );
  assert.match(err.message, /no prebuilt helper for riscv64/);
  assert.match(err.message, /pkg install clang/);
  assert.match(err.message, /CORESHIFT_NATIVE/);
});
