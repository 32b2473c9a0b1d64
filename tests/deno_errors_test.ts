/**
 * Failed starts as Deno.Command reports them: the error class per errno, Rust's words with the
 * os error number, NotFound's "entity not found" for a PATH miss, TypeError for bad options,
 * and coreshift's own failures kept as CoreError.
 * @module
 */
import assert from "node:assert/strict";
import { CoreError } from "../mod.ts";
import { asDenoError, notCollectable, notPiped } from "../ffi/command/deno_errors.ts";
import { sysError } from "../ffi/os/errors.ts";

Deno.test("asDenoError: Deno's class and words for an errno, the CoreError as cause", () => {
  const denied = asDenoError(sysError("execve", 13), "./x") as Error;
  assert.ok(denied instanceof Deno.errors.PermissionDenied);
  assert.equal(denied.message, "Failed to spawn './x': Permission denied (os error 13)");
  assert.ok(denied.cause instanceof CoreError);
  const missingPath = asDenoError(sysError("execve", 2), "/no/such") as Error;
  assert.ok(missingPath instanceof Deno.errors.NotFound);
  assert.match(missingPath.message, /No such file or directory \(os error 2\)$/);
  const unusual = asDenoError(sysError("execve", 26), "x") as Error;
  assert.equal(unusual.constructor, Error, "no Deno class for ETXTBSY: a plain Error");
  assert.equal(unusual.message, "Failed to spawn 'x': Text file busy (os error 26)");
});

Deno.test("asDenoError: a PATH miss is 'entity not found'; bad input a TypeError", () => {
  const miss = new CoreError("ENOENT", "resolve program", "not found in PATH", { errno: 2 });
  const notFound = asDenoError(miss, "nope") as Error;
  assert.ok(notFound instanceof Deno.errors.NotFound);
  assert.equal(notFound.message, "Failed to spawn 'nope': entity not found");
  const bad = asDenoError(new CoreError("InvalidArgument", "validate cwd", "x; y"), "c");
  assert.ok(bad instanceof TypeError);
});

Deno.test("asDenoError: coreshift's own failures and foreign errors pass through", () => {
  const own = new CoreError("UnsupportedOption", "posix_spawn", "no");
  assert.equal(asDenoError(own, "x"), own);
  const foreign = new RangeError("x");
  assert.equal(asDenoError(foreign, "x"), foreign);
  assert.equal(notPiped("stdin").message, "Cannot get 'stdin': 'stdin' is not piped");
  assert.equal(notCollectable("stdout").message, "Can't collect output because stdout is locked");
});
