/** The checks every option group shares (ffi/options/value_checks.ts), one by one. */
import assert from "node:assert/strict";
import { CoreError } from "../mod.ts";
import {
  bool,
  byteCap,
  cBytes,
  isPlainObject,
  list,
  nonNegativeMs,
  oneOf,
  optionalTimeout,
  pathOrOff,
  refuseUnknownKeys,
} from "../ffi/options/value_checks.ts";

/** Asserts `fn` throws an InvalidArgument CoreError whose message matches `message`. */
function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CoreError, String(e));
    assert.equal(e.code, "InvalidArgument");
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("cBytes: strings and bytes as C strings; a NUL or another type refused", () => {
  assert.deepEqual(cBytes("ab", "x"), new TextEncoder().encode("ab"));
  assert.deepEqual(cBytes(new Uint8Array([1, 2]), "x"), new Uint8Array([1, 2]));
  refused(() => cBytes("a\0b", "argv0"), /argv0 contains a NUL byte/);
  refused(() => cBytes(5, "program"), /program must be a string or Uint8Array/);
});

Deno.test("list, bool, oneOf: omitted is the default; a wrong type names the option", () => {
  assert.deepEqual(list(undefined, "args"), []);
  refused(() => list("a b", "args"), /args must be an array/);
  assert.equal(bool(undefined, "clearEnv", true), true);
  refused(() => bool(1, "clearEnv", false), /clearEnv must be true or false/);
  assert.equal(oneOf(undefined, ["a", "b"], "mode", "a"), "a");
  assert.equal(oneOf("b", ["a", "b"], "mode", "a"), "b");
  refused(() => oneOf("c", ["a", "b"], "mode", "a"), /mode is "c"/);
});

Deno.test("byteCap, optionalTimeout, nonNegativeMs: 0 and Infinity mean what the README says", () => {
  assert.equal(byteCap(undefined, "maxOutput", 7), 7);
  assert.equal(byteCap(0, "maxOutput", 7), 0);
  assert.equal(byteCap(Infinity, "maxOutput", 7), Infinity);
  refused(() => byteCap(1.5, "maxOutput", 7), /maxOutput/);
  refused(() => byteCap(-1, "maxOutput", 7), /maxOutput/);
  assert.equal(optionalTimeout(0, "timeoutMs"), null, "0 is no timeout");
  assert.equal(optionalTimeout(Infinity, "timeoutMs"), null);
  assert.equal(optionalTimeout(2.5, "timeoutMs"), 2.5);
  refused(() => optionalTimeout(-3, "timeoutMs"), /timeoutMs/);
  refused(() => optionalTimeout(NaN, "timeoutMs"), /timeoutMs/);
  assert.equal(nonNegativeMs(0, "killGraceMs"), 0);
  refused(() => nonNegativeMs(Infinity, "killGraceMs"), /killGraceMs is Infinity/);
});

Deno.test("refuseUnknownKeys: a typo is named with the keys there are", () => {
  const known = new Set(["timeoutMs", "cwd"]);
  refuseUnknownKeys({ cwd: "/" }, known, "validate options", "pass { … }");
  refused(
    () => refuseUnknownKeys({ tiemoutMs: 1 }, known, "validate options", "pass { … }"),
    /unknown option "tiemoutMs".*timeoutMs, cwd/,
  );
  refused(() => refuseUnknownKeys(null, known, "validate options", "pass { … }"), /an object/);
});

Deno.test("isPlainObject and pathOrOff", () => {
  assert.equal(isPlainObject({}), true);
  assert.equal(isPlainObject(Object.create(null)), true);
  assert.equal(isPlainObject(new Map()), false);
  assert.equal(isPlainObject([]), false);
  assert.equal(pathOrOff(undefined, "termuxPrefix", ""), "auto");
  assert.equal(pathOrOff(null, "termuxPrefix", ""), null);
  assert.equal(pathOrOff("/data/x", "termuxPrefix", ""), "/data/x");
  refused(() => pathOrOff("rel/x", "termuxPrefix", ""), /termuxPrefix must be an absolute path/);
});
