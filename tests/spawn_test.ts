/**
 * `spawn()`: the async handle, on every backend. Each test checks fds and children before and
 * after, with the op and resource sanitizers on.
 */
import assert from "node:assert/strict";
import {
  AbortedError,
  CoreError,
  OutputOverflowError,
  runSync,
  spawn,
  spawnOffThread,
} from "../mod.ts";
import { MAX_STARTS_IN_FLIGHT } from "../ffi/run/spawn.ts";
import { watchedCount } from "../ffi/async/exit_watcher.ts";
import { BACKENDS } from "./_backends.ts";
import { probePath, spewPattern } from "./fixtures/build.ts";
import {
  alive,
  assertCoreError,
  assertRejectsCoreError,
  eventually,
  procState,
  spawnTest,
  text,
} from "./_harness.ts";

const probe = probePath();
const encoder = new TextEncoder();

for (const backend of BACKENDS) {
  spawnTest(`[${backend}] spawn: captures stdout, stderr, status and rusage`, async () => {
    const child = spawn({ backend, program: "sh", args: ["-c", "echo out; echo err >&2; exit 3"] });
    assert.ok(child.pid > 0);
    const out = await child.output();
    assert.equal(text(out.stdout), "out\n");
    assert.equal(text(out.stderr), "err\n");
    assert.deepEqual(out.status, { kind: "exited", code: 3 });
    assert.deepEqual(await child.status, out.status);
    assert.equal(out.success, false);
    assert.ok(out.rusage.maxRssKiB > 0, "peak RSS comes from wait4");
    assert.ok(out.durationMs > 0);
  });

  spawnTest(`[${backend}] spawn: 1 MiB of stdin goes through and back unchanged`, async () => {
    const input = spewPattern(1024 * 1024);
    const out = await spawn({
      backend,
      program: probe,
      args: ["tee"],
      stdin: input,
      maxOutput: 4 << 20,
    })
      .output();
    assert.deepEqual(out.stdout, input);
    assert.deepEqual(out.stderr, input);
  });

  spawnTest(`[${backend}] spawnOffThread: starts off-thread, same output`, async () => {
    const child = await spawnOffThread({
      backend,
      program: "sh",
      args: ["-c", "echo out; exit 5"],
    });
    assert.ok(child.pid > 0);
    const out = await child.output();
    assert.equal(text(out.stdout), "out\n");
    assert.deepEqual(out.status, { kind: "exited", code: 5 });
  });

  spawnTest(
    `[${backend}] spawnOffThread: a failed start is an error, nothing left behind`,
    async () => {
      // Checked in the parent (posixSpawn's cwd, PATH lookups) it throws at once; found only by
      // the child (the helpers' chdir and exec) it rejects. Either way: a CoreError, no leak.
      const startError = async (options: Parameters<typeof spawnOffThread>[0]) => {
        try {
          await spawnOffThread(options);
        } catch (e) {
          return e;
        }
        return null;
      };
      const badCwd = await startError({ backend, program: "true", cwd: "/no/such/dir" });
      assert.ok(badCwd instanceof CoreError && badCwd.code === "ENOENT", String(badCwd));
      assert.match(badCwd.op, /cwd|chdir/);
      const missing = await startError({ backend, program: "/no/such/program" });
      assert.ok(missing instanceof CoreError && missing.code === "ENOENT", String(missing));
      assert.equal(watchedCount(), 0);
    },
  );

  spawnTest(`[${backend}] spawn: a missing program rejects at once with ENOENT`, () => {
    assertCoreError(() => spawn({ backend, program: "/no/such/program" }), "ENOENT");
    assert.equal(watchedCount(), 0);
  });
}

spawnTest("spawn: piped stdin, closing it gives the child EOF", async () => {
  const child = spawn({ program: "cat", stdin: "piped", stdout: "piped" });
  const writer = child.stdin!.getWriter();
  await writer.write(encoder.encode("one "));
  await writer.write(encoder.encode("two"));
  await writer.close();
  const out = await child.output(); // reads the piped stdout nobody locked
  assert.equal(text(out.stdout), "one two");
  assert.deepEqual(out.status, { kind: "exited", code: 0 });
});

spawnTest("spawn: piped stdout streams chunks as they come", async () => {
  const child = spawn({
    program: "sh",
    args: ["-c", "echo a; sleep 0.05; echo b"],
    stdout: "piped",
  });
  const chunks: string[] = [];
  for await (const chunk of child.stdout!) chunks.push(text(chunk));
  assert.equal(chunks.join(""), "a\nb\n");
  assert.ok(chunks.length >= 2, "the first line arrived before the second was written");
  const out = await child.output();
  assert.equal(out.stdout.length, 0, "a stream read by the caller is not read again");
});

spawnTest("spawnOffThread: 200 starts at once, bounded in flight, every byte right", async () => {
  const children = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      spawnOffThread({
        program: "sh",
        args: ["-c", `"$0" spew ${i * 97}; exit ${i % 5}`, probe],
      })),
  );
  const outs = await Promise.all(children.map((c) => c.output()));
  outs.forEach((out, i) => {
    assert.deepEqual(out.stdout, spewPattern(i * 97), `stdout of child ${i}`);
    assert.deepEqual(out.status, { kind: "exited", code: i % 5 });
  });
  assert.ok(MAX_STARTS_IN_FLIGHT >= 1);
  assert.equal(watchedCount(), 0);
});

spawnTest("spawnOffThread: failures among many starts each reject on their own", async () => {
  const results = await Promise.allSettled(
    Array.from(
      { length: 40 },
      (_, i) =>
        spawnOffThread({ program: "true", cwd: i % 2 ? "/no/such/dir" : "/" }).then((c) =>
          c.output()
        ),
    ),
  );
  results.forEach((r, i) => {
    if (i % 2) assert.equal(r.status === "rejected" && r.reason.code, "ENOENT");
    else assert.equal(r.status === "fulfilled" && r.value.success, true);
  });
});

spawnTest("spawn: a timeout kills the group, grandchildren included", async () => {
  const out = await spawn({
    program: "sh",
    args: ["-c", "sleep 30 & echo $!; wait"],
    pgroup: "leader",
    timeoutMs: 300,
  }).output();
  assert.equal(out.timedOut, true);
  assert.equal(out.status.kind, "signaled");
  const grandchild = Number(text(out.stdout));
  assert.ok(grandchild > 0);
  assert.ok(await eventually(() => !alive(grandchild)), `grandchild ${grandchild} survived`);
});

spawnTest("spawn: AbortSignal cancels gracefully and kills grandchildren", async () => {
  const controller = new AbortController();
  const child = spawn({
    program: "sh",
    args: ["-c", "sleep 30 & echo $!; wait"],
    pgroup: "leader",
    cancel: "graceful",
    killGraceMs: 500,
    signal: controller.signal,
  });
  const reader = child.stdout;
  assert.equal(reader, null, "captured, not piped");
  setTimeout(() => controller.abort(new Error("user gave up")), 100);
  const error = await assertRejectsCoreError(child.output(), "Aborted");
  assert.ok(error instanceof AbortedError);
  assert.equal((error.cause as Error).message, "user gave up");
  assert.deepEqual(error.output.status.kind, "signaled");
  const grandchild = Number(text(error.output.stdout));
  assert.ok(await eventually(() => !alive(grandchild)), `grandchild ${grandchild} survived`);
});

spawnTest("spawn: early exit with kill stops the group as soon as output said enough", async () => {
  const out = await spawn({
    program: "sh",
    args: ["-c", "sleep 30 & echo $!; echo ready; wait"],
    pgroup: "leader",
    earlyExit: (chunk) => text(chunk).includes("ready"),
    afterEarlyExit: "kill",
  }).output();
  assert.equal(out.stdoutEarlyExited, true);
  assert.equal(out.status.kind, "signaled");
  const grandchild = parseInt(text(out.stdout));
  assert.ok(await eventually(() => !alive(grandchild)), `grandchild ${grandchild} survived`);
});

spawnTest("spawn: an already aborted signal starts nothing", () => {
  const error = assertCoreError(
    () => spawn({ program: "true", signal: AbortSignal.abort("no") }),
    "Aborted",
  );
  assert.equal(error.cause, "no");
  assert.equal(watchedCount(), 0);
});

spawnTest("spawn: output past maxOutput rejects with what was kept", async () => {
  const error = await spawn({ program: probe, args: ["spew", "5000"], maxOutput: 1000 }).output()
    .catch((e) => e);
  assert.ok(error instanceof OutputOverflowError);
  assert.deepEqual(error.output.stdout, spewPattern(1000));
  assert.equal(error.droppedBytes, 4000);
});

spawnTest("spawn: a slow reader holds the child back (backpressure)", async () => {
  const child = spawn({ program: "head", args: ["-c", "268435456", "/dev/zero"], stdout: "piped" });
  const reader = child.stdout!.getReader();
  const first = await reader.read();
  assert.ok(first.value && first.value.length > 0);
  await new Promise((r) => setTimeout(r, 300));
  const io = Deno.readTextFileSync(`/proc/${child.pid}/io`);
  const written = Number(io.match(/^wchar:\s*(\d+)/m)![1]);
  assert.ok(written < 8 << 20, `the child wrote ${written} bytes while nobody read`);
  await reader.cancel();
  await child[Symbol.asyncDispose]();
  assert.equal((await child.status).kind, "signaled");
});

spawnTest("spawn: pause stops the group, resume continues it", async () => {
  await using child = spawn({ program: "sleep", args: ["30"], pgroup: "leader" });
  assert.equal(child.pause(), true);
  assert.ok(await eventually(() => procState(child.pid) === "T"), "stopped");
  assert.equal(child.resume(), true);
  assert.ok(await eventually(() => procState(child.pid) !== "T"), "running again");
});

spawnTest("spawn: await using kills and reaps the group", async () => {
  let pid = 0;
  let status;
  {
    await using child = spawn({ program: "sleep", args: ["30"], pgroup: "isolated" });
    pid = child.pid;
    status = child.status;
  }
  assert.deepEqual((await status).kind, "signaled");
  assert.equal(alive(pid), false);
});

spawnTest("spawn: kill() and killGroup() check their input", async () => {
  await using child = spawn({ program: "sleep", args: ["30"] });
  assertCoreError(() => child.killGroup(), "InvalidArgument", "killGroup");
  assertCoreError(() => child.kill("SIGNOPE"), "InvalidArgument", "kill");
  assert.equal(child.kill("SIGTERM"), true);
  assert.deepEqual(await child.status, {
    kind: "signaled",
    signal: 15,
    signalName: "SIGTERM",
    coreDumped: false,
  });
  assert.equal(child.kill(), false, "nothing to signal once reaped");
});

spawnTest("spawn: the child writing to a closed stdin does not fail output()", async () => {
  const out = await spawn({ program: "true", stdin: new Uint8Array(1 << 20) }).output();
  assert.deepEqual(out.status, { kind: "exited", code: 0 });
});

spawnTest("runSync refuses what only spawn can do", () => {
  assertCoreError(() => runSync({ program: "true", stdout: "piped" }), "InvalidArgument", "stdout");
  assertCoreError(() => runSync({ program: "true", stdin: "piped" }), "InvalidArgument", "stdin");
  assertCoreError(
    () => runSync({ program: "true", signal: new AbortController().signal }),
    "InvalidArgument",
    "signal",
  );
  assertCoreError(
    () => spawn({ program: "true", stdout: "piped", earlyExit: () => true }),
    "InvalidArgument",
    "earlyExit",
  );
  const e = assertCoreError(
    () => spawn({ program: "true", signal: {} as AbortSignal }),
    "InvalidArgument",
  );
  assert.ok(e instanceof CoreError);
  assert.equal(watchedCount(), 0);
});

spawnTest("earlyExit chunks are the callback's to keep, under the cap and past it", async () => {
  const total = 3 * 1024 * 1024; // several reads, and past a 1 MiB cap
  const seen: Uint8Array[] = [];
  const err = await spawn({
    program: probe,
    args: ["spew", String(total)],
    maxOutput: 1024 * 1024,
    earlyExit: (chunk) => {
      seen.push(chunk);
      return false;
    },
  }).output().then(() => null, (e) => e);
  assert.ok(err instanceof OutputOverflowError, "3 MiB through a 1 MiB cap overflows");
  const joined = new Uint8Array(seen.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of seen) joined.set(c, (at += c.length) - c.length);
  assert.ok(seen.length > 1, "more than one read");
  assert.deepEqual(joined, spewPattern(total), "no chunk was written over by a later read");
});

spawnTest(
  "tryWait: null while running, the status once exited, without waiting for the loop",
  async () => {
    const child = spawn({ program: "sh", args: ["-c", "sleep 0.1; exit 7"] });
    assert.equal(child.tryWait(), null);
    const until = performance.now() + 3000;
    let status = child.tryWait();
    while (status === null && performance.now() < until) {
      // Block this thread (no loop turn): tryWait must reap by itself.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      status = child.tryWait();
    }
    assert.deepEqual(status, { kind: "exited", code: 7 });
    assert.deepEqual(await child.status, { kind: "exited", code: 7 });
    await child.output();
  },
);
