/**
 * The exit watcher: a child's exit from a pidfd in the poller where the syscall gate allows one,
 * from SIGCHLD everywhere; both sources under load, beside Deno.Command, and the watcher's own
 * calls (reapNow, unwatchExit) on a child started here.
 * @module
 */
import assert from "node:assert/strict";
import { hostPlatform, spawn } from "../mod.ts";
import {
  reapNow,
  unwatchExit,
  useSigchldOnly,
  watchedCount,
  watchExit,
} from "../ffi/async/exit_watcher.ts";
import { settled } from "../ffi/async/fd_poller.ts";
import { reap } from "../ffi/platform/process_control.ts";
import { readProcText } from "../ffi/os/proc_files.ts";
import { startChild } from "../ffi/start/start.ts";
import process from "node:process";
import { syscallAllowed } from "../ffi/platform/syscall_gate.ts";
import { spawnTest, text } from "./_harness.ts";
import { probePath, spewPattern } from "./fixtures/build.ts";

const probe = probePath();

/** Where exits come from: pidfds where the gate allows them, SIGCHLD everywhere. */
const EXIT_SOURCES = [
  ["pidfd", syscallAllowed("pidfd_open", hostPlatform()) ? false : "pidfd_open is gated off here"],
  ["sigchld", false],
] as const;

/** Runs `fn` with exits taken from `source`. */
function withExitSource(source: string, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    useSigchldOnly(source === "sigchld");
    try {
      await fn();
    } finally {
      useSigchldOnly(false);
    }
  };
}

/** The pidfds this process holds, by their /proc link name. */
function openPidfds(): number {
  let n = 0;
  for (const e of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${e.name}`) === "anon_inode:[pidfd]") n++;
    } catch { /* the scan's own fd */ }
  }
  return n;
}

for (const [source, skip] of EXIT_SOURCES) {
  spawnTest(
    `[${source}] spawn: 200 concurrent children, every byte and status right`,
    withExitSource(source, async () => {
      const outs = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          spawn({
            program: "sh",
            args: ["-c", `"$0" spew ${i * 331}; echo err${i} >&2; exit ${i % 7}`, probe],
          }).output()),
      );
      outs.forEach((out, i) => {
        assert.deepEqual(out.stdout, spewPattern(i * 331), `stdout of child ${i}`);
        assert.equal(text(out.stderr), `err${i}\n`);
        assert.deepEqual(out.status, { kind: "exited", code: i % 7 });
      });
      assert.equal(watchedCount(), 0);
    }),
    skip,
  );

  spawnTest(
    `[${source}] spawn: Deno.Command in the same process sees its own exits`,
    withExitSource(source, async () => {
      const ours = Array.from(
        { length: 8 },
        (_, i) => spawn({ program: "sh", args: ["-c", `sleep 0.0${i}; exit ${10 + i}`] }).output(),
      );
      const theirs = Array.from(
        { length: 8 },
        (_, i) =>
          new Deno.Command("sh", { args: ["-c", `sleep 0.0${7 - i}; exit ${20 + i}`] }).output(),
      );
      const [a, b] = await Promise.all([Promise.all(ours), Promise.all(theirs)]);
      a.forEach((out, i) => assert.deepEqual(out.status, { kind: "exited", code: 10 + i }));
      b.forEach((out, i) => assert.equal(out.code, 20 + i));
    }),
    skip,
  );

  spawnTest(
    `[${source}] spawn: exits come from ${source}`,
    withExitSource(source, async () => {
      const before = openPidfds();
      await using child = spawn({ program: "sleep", args: ["30"] });
      assert.equal(openPidfds() - before, source === "pidfd" ? 1 : 0);
      assert.equal(watchedCount(), 1);
      child.kill("SIGKILL");
      assert.equal((await child.status).kind, "signaled");
      assert.equal(watchedCount(), 0);
    }),
    skip,
  );
}

spawnTest(
  "reapNow: null while the child runs, its reaping once it exited; unwatchExit leaves it ours",
  async () => {
    const running = startChild({ program: "sleep", args: ["30"] }, "sync");
    running.stdio.closeAll();
    const exit = watchExit(running.pid);
    assert.equal(reapNow(running.pid), null);
    assert.equal(watchedCount(), 1);
    unwatchExit(running.pid);
    assert.equal(watchedCount(), 0);
    assert.equal(reapNow(running.pid), null, "not watched: not reaped here");
    process.kill(running.pid, "SIGKILL");
    assert.equal(reap(running.pid, true)?.status.kind, "signaled", "still ours to reap");
    let settledExit = false;
    exit.then(() => settledExit = true, () => settledExit = true);

    const quick = startChild({ program: "true" }, "sync");
    quick.stdio.closeAll();
    const quickExit = watchExit(quick.pid);
    // Wait for the zombie without yielding, so the watcher cannot reap it first.
    const stat = `/proc/${quick.pid}/stat`;
    const deadline = performance.now() + 5000;
    while (!/\) Z /.test(readProcText(stat)) && performance.now() < deadline) { /* spin */ }
    const reaped = reapNow(quick.pid);
    assert.deepEqual(reaped?.status, { kind: "exited", code: 0 });
    assert.equal(await quickExit, reaped, "the watcher's promise settles with the same reaping");
    assert.equal(settledExit, false, "an unwatched exit never settles");
    assert.equal(watchedCount(), 0);
    await settled();
  },
);
