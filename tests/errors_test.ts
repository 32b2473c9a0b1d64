/**
 * CoreError: what each error carries (code, op, errno, path) and how errnos and runtime errors
 * become one.
 * @module
 */
import assert from "node:assert/strict";
import { CoreError } from "../mod.ts";
import {
  describeValue,
  errnoName,
  fromRuntimeError,
  invalidArgument,
  sysError,
} from "../ffi/os/errors.ts";

Deno.test("a CoreError from the child names the step and errno", () => {
  const err = new CoreError("ENOENT", "child chdir", "x", { errno: 2 });
  assert.equal(err.op, "child chdir");
  assert.equal(err.errno, 2);
  assert.equal(err.message, "child chdir: x");
  assert.equal(err.name, "CoreError");
  assert.equal(err.path, undefined, "no path unless the failure was about one");
});

Deno.test("errnoName: the kernel's names, ERRNO_n for a number it has none for", () => {
  assert.equal(errnoName(2), "ENOENT");
  assert.equal(errnoName(13), "EACCES");
  assert.equal(errnoName(4095), "ERRNO_4095");
});

Deno.test("invalidArgument and sysError: a stable code and a message that says what to do", () => {
  const bad = invalidArgument("validate cwd", "cwd is 5", "give a path string");
  assert.equal(bad.code, "InvalidArgument");
  assert.equal(bad.message, "validate cwd: cwd is 5; give a path string");
  const failed = sysError("execve", 2, "is it installed?", "/no/such");
  assert.equal(failed.code, "ENOENT");
  assert.equal(failed.errno, 2);
  assert.equal(failed.path, "/no/such");
  assert.equal(failed.message, "execve: failed with ENOENT (errno 2); is it installed?");
  assert.equal(sysError("pipe2", 24).message, "pipe2: failed with EMFILE (errno 24)");
});

Deno.test("fromRuntimeError keeps an errno name Deno gives, else EIO with the cause", () => {
  const mine = sysError("open", 2);
  assert.equal(fromRuntimeError("again", mine), mine, "a CoreError passes through");
  let denoError: unknown;
  try {
    Deno.readFileSync("/no/such/file/here");
  } catch (e) {
    denoError = e;
  }
  const kept = fromRuntimeError("read", denoError);
  assert.equal(kept.code, "ENOENT");
  assert.equal(kept.errno, 2);
  const odd = new Error("odd");
  const wrapped = fromRuntimeError("write", odd);
  assert.equal(wrapped.code, "EIO");
  assert.equal(wrapped.cause, odd);
  assert.equal(fromRuntimeError("x", "text").message, "x: text");
});

Deno.test("describeValue shows any value and never throws", () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const throwing = {
    toJSON: () => {
      throw new Error("no");
    },
  };
  assert.equal(describeValue('a"b'), '"a\\"b"');
  assert.equal(describeValue(10n), "10n");
  assert.equal(describeValue(Symbol("s")), "Symbol(s)");
  assert.equal(describeValue(() => 1), "a function");
  assert.equal(describeValue(undefined), "undefined");
  assert.equal(describeValue(null), "null");
  assert.equal(describeValue(NaN), "NaN");
  assert.equal(describeValue([1, "x"]), '[1,"x"]');
  assert.equal(describeValue(cycle), "[object Object]");
  assert.equal(describeValue(throwing), "[object Object]");
  assert.equal(describeValue({ a: 10n }), "[object Object]");
});
