/**
 * The one start: a started child with only the parent's pipe ends kept, nothing left open when
 * a start fails, the off-thread start, and abandon() for a child whose supervision never began.
 * @module
 */
import assert from "node:assert/strict";
import { abandon, startChild, startChildOnThread } from "../ffi/start/start.ts";
import { reap } from "../ffi/platform/process_control.ts";
import { listOpenFds } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { nativeHelperIfAvailable } from "../ffi/native/loader.ts";
import { assertCoreError, pidExists, spawnTest } from "./_harness.ts";

libc(); // opened once at module scope: the library handle is not a per-test leak
nativeHelperIfAvailable();

for (const backend of ["posixSpawn", "vfork"] as const) {
  spawnTest(`[${backend}] startChild: the child runs; only the parent's ends stay open`, () => {
    const before = listOpenFds().length;
    const started = startChild(
      { backend, program: "sh", args: ["-c", "exit 4"], stdout: "capture" },
      "sync",
    );
    assert.deepEqual(started.plan.backend, backend);
    assert.deepEqual(started.stdio.child, ["null", "null", "null"], "the child's ends closed here");
    assert.ok(started.stdio.stdout >= 0);
    assert.ok(started.startedMono <= performance.now());
    assert.deepEqual(reap(started.pid, true)?.status, { kind: "exited", code: 4 });
    started.stdio.closeAll();
    assert.equal(listOpenFds().length, before);
  });

  spawnTest(`[${backend}] a failed start leaves no fd and no child`, () => {
    const before = listOpenFds().length;
    assertCoreError(
      () => startChild({ backend, program: "/no/such/program", stdout: "capture" }, "sync"),
      "ENOENT",
    );
    assert.equal(listOpenFds().length, before);
  });

  spawnTest(`[${backend}] abandon: killed, reaped and closed`, () => {
    const before = listOpenFds().length;
    const started = startChild(
      { backend, program: "sleep", args: ["30"], stdout: "capture", pgroup: "leader" },
      "sync",
    );
    abandon(started);
    assert.equal(pidExists(started.pid), false);
    assert.equal(listOpenFds().length, before);
  });
}

spawnTest(
  "startChildOnThread: bad input throws at once; the slot is released when it settles",
  async () => {
    let released = 0;
    const slot = () => Promise.resolve(() => void released++);
    assertCoreError(() => startChildOnThread({ program: "" }, slot), "InvalidArgument");
    assert.equal(released, 0, "no slot taken for input refused up front");
    const started = await startChildOnThread({ program: "true" }, slot);
    assert.equal(released, 1);
    assert.deepEqual(reap(started.pid, true)?.status, { kind: "exited", code: 0 });
    started.stdio.closeAll();
  },
);
