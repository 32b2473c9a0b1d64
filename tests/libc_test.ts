/**
 * The process's libc: opened once, identified with its version, the ABI table of this libc and
 * arch, and errno read right after a failing call.
 * @module
 */
import assert from "node:assert/strict";
import { libc } from "../ffi/os/libc.ts";
import { abiFor } from "../ffi/abi/mod.ts";

const c = libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("libc: one instance, its name and version, the table for this libc and arch", () => {
  assert.equal(libc(), c);
  assert.ok(c.name === "glibc" || c.name === "bionic");
  if (c.name === "glibc") assert.match(c.version, /^\d+\.\d+/);
  else assert.match(c.version, /^api(\d+|\?)$/);
  assert.equal(c.abi, abiFor(c.name, Deno.build.arch as "x86_64" | "aarch64"));
});

Deno.test("libc: errno is this thread's, as the failing call left it", () => {
  const { EBADF, ENOENT } = c.abi.kernel.common.errno;
  assert.equal(c.symbols.close(-1), -1);
  assert.equal(c.errno(), EBADF);
  const missing = new TextEncoder().encode("/no/such/file\0");
  assert.equal(c.symbols.open(missing, c.abi.kernel.open.O_RDONLY, 0), -1);
  assert.equal(c.errno(), ENOENT);
});
