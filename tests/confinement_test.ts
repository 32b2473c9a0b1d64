/** Seccomp mode and nesting, from /proc/self/status. */
import assert from "node:assert/strict";
import { hasSeccompFilter, isNested } from "../mod.ts";
import { confinement, parseConfinement } from "../ffi/platform/confinement.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // /proc is read through libc: open it once, outside the tests' resource sanitizer

Deno.test("parseConfinement reads the seccomp mode, filter count and NoNewPrivs", () => {
  const android = "Name:\tcom.termux\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n";
  assert.deepEqual(parseConfinement(android), { seccomp: "filter", filters: 1, noNewPrivs: false });
  const plain = "Name:\tdeno\nNoNewPrivs:\t1\nSeccomp:\t0\n";
  assert.deepEqual(parseConfinement(plain), {
    seccomp: "disabled",
    filters: null,
    noNewPrivs: true,
  });
  assert.equal(parseConfinement("Name:\tx\n").seccomp, "unknown");
});

Deno.test("hasSeccompFilter agrees with this process's own status file; isNested is its alias", () => {
  const line = Deno.readTextFileSync("/proc/self/status").match(/^Seccomp:\s*(\d)/m)?.[1];
  assert.equal(hasSeccompFilter(), line === "2");
  assert.equal(isNested, hasSeccompFilter);
  assert.equal(confinement().seccomp === "filter", line === "2");
});
