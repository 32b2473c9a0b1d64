/**
 * Termux's directories, temp dir, search path and prefix rules.
 * @module
 */
import assert from "node:assert/strict";
import { termuxDirs } from "../android/mod.ts";
import { tempDir, termuxSearchPath } from "../ffi/platform/termux.ts";
import { runSync } from "../mod.ts";
import { assertCoreError } from "./_harness.ts";

Deno.test("Termux directories, temp dir and search path", () => {
  const prefix = "/data/data/com.termux/files/usr";
  assert.deepEqual(termuxDirs({ PREFIX: `${prefix}/` }), {
    prefix,
    home: "/data/data/com.termux/files/home",
    tmpdir: `${prefix}/tmp`,
  });
  assert.equal(termuxDirs({ PREFIX: "/opt/x", TERMUX_VERSION: "0.118" })?.prefix, "/opt/x");
  assert.equal(termuxDirs({ PREFIX: "/usr" }), null, "a PREFIX alone is not Termux");
  assert.equal(tempDir({ PREFIX: prefix }), `${prefix}/tmp`);
  assert.equal(tempDir({ PREFIX: prefix, TMPDIR: "/t" }), "/t");
  assert.equal(tempDir({}), "/tmp");
  assert.equal(termuxSearchPath(`${prefix}/bin`, prefix), `${prefix}/bin:/system/bin`);
  assert.equal(termuxSearchPath("/system/bin:/x", prefix), "/system/bin:/x");
  assert.equal(termuxSearchPath(undefined, prefix), `${prefix}/bin:/system/bin`);
});

Deno.test("termuxPrefix must be absolute or null", () => {
  assertCoreError(() => runSync({ program: "true", termuxPrefix: "rel/usr" }), "InvalidArgument");
  assertCoreError(
    // deno-lint-ignore no-explicit-any
    () => runSync({ program: "true", termuxPrefix: 3 as any }),
    "InvalidArgument",
  );
});
