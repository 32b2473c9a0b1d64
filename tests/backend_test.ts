/**
 * chooseBackend: the one asked for, else vfork where the native helper loads, else posix_spawn;
 * a spawn that needs code in the child gets the helper or a typed error saying why.
 * @module
 */
import assert from "node:assert/strict";
import { chooseBackend } from "../ffi/start/backend.ts";
import { nativeHelperIfAvailable } from "../ffi/native/loader.ts";

// Loaded once at module scope: the library handle is not a per-test leak.
const helper = nativeHelperIfAvailable() !== null;

Deno.test("chooseBackend: a request is kept; no preference is vfork where the helper loads", () => {
  assert.equal(chooseBackend("posixSpawn"), "posixSpawn");
  assert.equal(chooseBackend("posixSpawn", true), "posixSpawn", "asked for: kept even so");
  assert.equal(chooseBackend(null), helper ? "vfork" : "posixSpawn");
  if (helper) {
    assert.equal(chooseBackend("fork"), "fork");
    assert.equal(chooseBackend("vfork"), "vfork");
    assert.equal(chooseBackend(null, true), "vfork", "confine and dieWithParent need the helper");
  }
});
