/**
 * wait4, kill and pidfd_open on a child of our own: a running child reaps as null, a signal
 * death decodes with its resource usage, a gone pid signals as false, and a pidfd turns
 * readable at the exit.
 * @module
 */
import assert from "node:assert/strict";
import { openPidfd, reap, sendSignal } from "../ffi/platform/process_control.ts";
import { startChild } from "../ffi/start/start.ts";
import { hostPlatform } from "../ffi/platform/platform.ts";
import { syscallAllowed } from "../ffi/platform/syscall_gate.ts";
import { Epoll } from "../ffi/os/epoll.ts";
import { closeFd } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { EMULATED_VFORK, spawnTest } from "./_harness.ts";

const { SIGTERM, SIGKILL } = libc().abi.kernel.common.signals;

spawnTest("reap: null while the child runs; then its signal death and resource usage", () => {
  const { pid, stdio } = startChild({ program: "sleep", args: ["30"] }, "sync");
  stdio.closeAll();
  assert.equal(reap(pid, false), null);
  assert.equal(sendSignal(pid, SIGTERM, false), true);
  const reaped = reap(pid, true)!;
  assert.deepEqual(reaped.status, {
    kind: "signaled",
    signal: SIGTERM,
    signalName: "SIGTERM",
    coreDumped: false,
  });
  assert.ok(reaped.rusage.maxRssKiB > 0);
  assert.ok(reaped.rusage.userMs >= 0 && reaped.rusage.systemMs >= 0);
  assert.equal(sendSignal(pid, SIGKILL, false), false, "nobody left: false, not an error");
  assert.throws(() => reap(pid, true), (e: Error & { code?: string }) => e.code === "ECHILD");
});

spawnTest("sendSignal to a group reaches every member", () => {
  const { pid, stdio } = startChild(
    { program: "sh", args: ["-c", "sleep 30 & wait"], pgroup: "leader" },
    "sync",
  );
  stdio.closeAll();
  assert.equal(sendSignal(pid, SIGKILL, true), true);
  assert.equal(reap(pid, true)?.status.kind, "signaled");
  // The sleep, orphaned, stays in the group as a zombie until init reaps it.
  const deadline = performance.now() + 10_000;
  while (sendSignal(pid, 0, true) && performance.now() < deadline) { /* until init reaps it */ }
  assert.equal(sendSignal(pid, 0, true), false, "the group is empty now: the sleep went too");
});

spawnTest(
  "openPidfd: readable once the child exits",
  () => {
    const { pid, stdio } = startChild({ program: "sleep", args: ["0.05"] }, "sync");
    stdio.closeAll();
    const pidfd = openPidfd(pid, hostPlatform());
    assert.ok(pidfd >= 0);
    using epoll = new Epoll();
    try {
      epoll.add(pidfd, "read", 1);
      assert.deepEqual(epoll.wait(0), [], "not while it runs");
      assert.deepEqual(epoll.wait(5000).map((e) => e.token), [1]);
      assert.equal(reap(pid, true)?.status.kind, "exited");
    } finally {
      closeFd(pidfd);
    }
  },
  (EMULATED_VFORK || !syscallAllowed("pidfd_open", hostPlatform())) &&
    "no pidfd_open here (qemu-user or the syscall gate)",
);
