/**
 * ChildFds: the fds a spawn makes before its backend runs. Pipes with the parent's ends
 * non-blocking and every end close-on-exec, 2>&1 as a copy, extra fds copied above every
 * target, a pty with its master held, and nothing left open after closeAll. No child.
 * @module
 */
import assert from "node:assert/strict";
import type { SpawnOptions } from "../mod.ts";
import { ChildFds } from "../ffi/plan/child_fds.ts";
import { planSpawn } from "../ffi/plan/plan.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { hostPosixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { cloexecPipe, closeFd, listOpenFds } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak

const open = (options: Omit<SpawnOptions, "program">) =>
  ChildFds.open(
    planSpawn(
      validateOptions({ program: "true", ...options }, "async"),
      "fork",
      hostPosixSpawnCaps(),
    ),
  );

function flagsOf(fd: number): { cloexec: boolean; nonblocking: boolean } {
  const c = libc();
  const { F_GETFL } = c.abi.kernel.common.fcntl;
  const nonblocking = (c.symbols.fcntl(fd, F_GETFL, 0) & c.abi.kernel.open.O_NONBLOCK) !== 0;
  return { cloexec: listOpenFds().find((o) => o.fd === fd)!.cloexec, nonblocking };
}

Deno.test("ChildFds: pipes for piped streams; parent ends non-blocking, all close-on-exec", () => {
  const before = listOpenFds().length;
  const fds = open({ stdin: "piped", stdout: "piped", stderr: "stdout" });
  try {
    const [stdin, stdout, stderr] = fds.child;
    assert.ok(
      typeof stdin === "number" && typeof stdout === "number" && typeof stderr === "number",
    );
    assert.notEqual(stderr, stdout, "2>&1 is a copy, closed on its own");
    for (const parentEnd of [fds.stdin, fds.stdout]) {
      assert.deepEqual(flagsOf(parentEnd), { cloexec: true, nonblocking: true });
    }
    assert.equal(fds.stderr, -1, "merged: no stderr pipe of its own");
    assert.deepEqual(flagsOf(stdout), { cloexec: true, nonblocking: false }, "the child blocks");
    fds.closeChildEnds();
    assert.deepEqual(fds.child, ["null", "null", "null"]);
  } finally {
    fds.closeAll();
  }
  assert.equal(listOpenFds().length, before, "nothing left open");
});

Deno.test("ChildFds: null and inherit make no fd; extra fds are copies above every target", () => {
  const before = listOpenFds().length;
  const [read, write] = cloexecPipe("test pipe");
  const fds = open({
    stdin: "null",
    stdout: "inherit",
    stderr: "null",
    extraFds: { 40: read, 41: write },
  });
  try {
    assert.deepEqual(fds.child, ["null", "inherit", "null"]);
    assert.deepEqual(fds.extra.map(([, target]) => target), [40, 41]);
    for (const [copy] of fds.extra) {
      assert.ok(copy > 41, "a copy never sits on a target a later dup would overwrite");
      assert.equal(flagsOf(copy).cloexec, true);
    }
  } finally {
    fds.closeAll();
  }
  assert.equal(fds.extra.length, 0);
  closeFd(read);
  closeFd(write);
  assert.equal(listOpenFds().length, before);
});

Deno.test("ChildFds: a pty's slave on 0, 1, 2, its master read and held until released", () => {
  const before = listOpenFds().length;
  const fds = open({ pty: { columns: 80, rows: 24 }, stdin: "piped" });
  try {
    assert.match(fds.ptyPath!, /^\/dev\/pts\/\d+$/);
    assert.ok(fds.ptyMaster >= 0 && fds.stdout >= 0 && fds.stdin >= 0);
    assert.equal(new Set([fds.ptyMaster, fds.stdout, fds.stdin]).size, 3, "three copies");
    fds.releasePtyMaster();
    assert.equal(fds.ptyMaster, -1);
    fds.releasePtyMaster(); // twice is harmless
  } finally {
    fds.closeAll();
  }
  assert.equal(listOpenFds().length, before);
});
