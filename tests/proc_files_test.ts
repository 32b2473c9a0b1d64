/**
 * /proc through libc: a file's whole text, a directory's names (with the fd that read them
 * named), a link's target; failures are typed errors naming the path.
 * @module
 */
import assert from "node:assert/strict";
import { listProcDir, readProcLink, readProcText } from "../ffi/os/proc_files.ts";
import { libc } from "../ffi/os/libc.ts";
import { assertCoreError } from "./_harness.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

Deno.test("readProcText reads past one buffer; readProcLink is the link's target", () => {
  const maps = readProcText("/proc/self/maps");
  assert.ok(maps.length > 4096, "several reads joined");
  assert.ok(maps.endsWith("\n") && maps.includes("[stack]"), "the whole file, to its end");
  assert.match(readProcText("/proc/self/status"), new RegExp(`^Pid:\\t${Deno.pid}$`, "m"));
  assert.equal(readProcLink("/proc/self/exe"), Deno.execPath());
});

Deno.test("listProcDir names every open fd, its own included and reported", () => {
  const { names, ownFd } = listProcDir("/proc/self/fd");
  for (const fd of ["0", "1", "2", String(ownFd)]) assert.ok(names.includes(fd), fd);
  assert.ok(!names.includes(".") && !names.includes(".."));
  const after = listProcDir("/proc/self/fd");
  assert.ok(!after.names.includes(String(ownFd)) || after.ownFd === ownFd, "closed after use");
});

Deno.test("a missing /proc entry is a typed error naming it", () => {
  const text = assertCoreError(() => readProcText("/proc/self/no-such"), "ENOENT");
  assert.match(text.message, /\/proc\/self\/no-such/);
  assertCoreError(() => listProcDir("/proc/self/no-such"), "ENOENT");
  assertCoreError(() => readProcLink("/proc/self/no-such"), "ENOENT");
});
