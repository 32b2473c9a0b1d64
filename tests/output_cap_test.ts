/**
 * The output cap through every backend: what `maxOutput` keeps, what it drops and counts, and
 * that a child writing past it is drained (or killed) without growing the parent
 * (supervise/drain.ts and supervise/output.ts, driven by runSync).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CoreError, OutputOverflowError } from "../mod.ts";
import { BACKENDS, runWith } from "./_backends.ts";
import { probePath } from "./fixtures/build.ts";
import { pidExists, spawnTest, text } from "./_harness.ts";

const probe = probePath();
const MiB = 1024 * 1024;

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

for (const backend of BACKENDS) {
  const run = runWith(backend);

  spawnTest(
    `[${backend}] 64 MiB in through stdin and 64 MiB out of stdout and stderr at once`,
    () => {
      const data = pattern(64 * MiB, 7);
      const out = run({ program: probe, args: ["tee"], stdin: data, maxOutput: 128 * MiB });
      assert.equal(out.success, true);
      assert.equal(out.stdout.length, data.length);
      assert.equal(out.stderr.length, data.length);
      assert.ok(Buffer.compare(out.stdout, data) === 0, "stdout bytes differ");
      assert.ok(Buffer.compare(out.stderr, data) === 0, "stderr bytes differ");
    },
  );

  spawnTest(`[${backend}] a child that closes stdin early is not an error`, () => {
    const out = run({ program: "head", args: ["-c", "3"], stdin: pattern(8 * MiB, 3) });
    assert.equal(out.success, true);
    assert.equal(out.stdout.length, 3);
  });

  spawnTest(
    `[${backend}] early exit on yes: stdout closed, child dies of SIGPIPE, we wait for it`,
    () => {
      let calls = 0;
      const out = run({
        program: "yes",
        earlyExit: (chunk) => {
          calls++;
          return chunk.includes(0x0a);
        },
      });
      assert.equal(out.stdoutEarlyExited, true);
      assert.equal(calls, 1);
      assert.ok(out.stdout.length > 0 && text(out.stdout).startsWith("y\n"));
      assert.deepEqual(out.status.kind === "signaled" && out.status.signalName, "SIGPIPE");
    },
  );

  spawnTest(
    `[${backend}] early exit with afterEarlyExit kill: a child ignoring SIGPIPE is killed`,
    () => {
      const out = run({
        program: "sh",
        args: ["-c", "trap '' PIPE; echo ready; exec sleep 30"],
        earlyExit: (chunk) => text(chunk).includes("ready"),
        afterEarlyExit: "kill",
      });
      assert.equal(out.stdoutEarlyExited, true);
      assert.deepEqual(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
      assert.equal(out.timedOut, false);
    },
  );

  spawnTest(`[${backend}] early exit callback that never matches lets the child finish`, () => {
    const out = run({ program: "echo", args: ["a"], earlyExit: () => false });
    assert.equal(out.stdoutEarlyExited, false);
    assert.equal(text(out.stdout), "a\n");
  });

  spawnTest(
    `[${backend}] an earlyExit callback that throws: the error propagates, the child is reaped`,
    () => {
      assert.throws(
        () =>
          run({
            program: "yes",
            earlyExit: () => {
              throw new Error("boom");
            },
          }),
        /boom/,
      );
    },
  );

  spawnTest(
    "overflow: a 10 MiB writer with a 1 MiB cap is drained, then an error with the output",
    () => {
      let caught: unknown;
      try {
        run({ program: probe, args: ["spew", String(10 * MiB)], maxOutput: MiB });
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof OutputOverflowError);
      assert.ok(caught instanceof CoreError);
      assert.equal(caught.code, "OutputOverflow");
      assert.equal(caught.output.stdout.length, MiB);
      assert.equal(caught.droppedBytes, 9 * MiB);
      assert.deepEqual(caught.output.status, { kind: "exited", code: 0 }, "drained to the end");
      for (let i = 0; i < MiB; i += 4099) assert.equal(caught.output.stdout[i], (i * 7) % 251);
    },
  );

  spawnTest(`[${backend}] output of exactly maxOutput bytes is not an overflow`, () => {
    const out = run({ program: probe, args: ["spew", "4096"], maxOutput: 4096 });
    assert.equal(out.stdout.length, 4096);
  });

  spawnTest(`[${backend}] the cap is shared by stdout and stderr`, () => {
    assert.throws(
      () =>
        run({
          program: "sh",
          args: ["-c", "printf 123456; printf 123456 >&2"],
          maxOutput: 10,
        }),
      (e) =>
        e instanceof OutputOverflowError && e.output.stdout.length + e.output.stderr.length === 10,
    );
  });

  spawnTest(`[${backend}] timeout: sleep 10 with timeoutMs 100 is killed and reaped`, () => {
    const out = run({ program: "sleep", args: ["10"], timeoutMs: 100 });
    assert.equal(out.timedOut, true);
    assert.deepEqual(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
    assert.ok(out.durationMs >= 100, `returned after ${out.durationMs} ms`);
  });

  spawnTest(`[${backend}] timeout with pgroup leader kills the grandchild too`, () => {
    const out = run({
      program: "sh",
      args: ["-c", "sleep 30 & echo $!; wait"],
      timeoutMs: 200,
      pgroup: "leader",
    });
    assert.equal(out.timedOut, true);
    const grandchild = Number(text(out.stdout).trim());
    assert.ok(grandchild > 0);
    waitGone(grandchild);
  });

  spawnTest(`[${backend}] timeout with pgroup isolated kills the session's group`, () => {
    const out = run({
      program: "sh",
      args: ["-c", "sleep 30 & echo $!; wait"],
      timeoutMs: 200,
      pgroup: "isolated",
    });
    assert.equal(out.timedOut, true);
    waitGone(Number(text(out.stdout).trim()));
  });

  spawnTest(
    `[${backend}] graceful cancel: SIGTERM first, SIGKILL after the grace when it is ignored`,
    () => {
      const out = run({
        program: "sh",
        args: ["-c", "trap 'echo got-term' TERM; echo up; while :; do sleep 0.05; done"],
        timeoutMs: 150,
        cancel: "graceful",
        killGraceMs: 300,
      });
      assert.equal(out.timedOut, true);
      assert.ok(text(out.stdout).includes("got-term"), `stdout: ${text(out.stdout)}`);
      assert.deepEqual(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
      assert.ok(out.durationMs >= 450, `SIGKILL came after ${out.durationMs} ms`);
    },
  );

  spawnTest(`[${backend}] graceful cancel: a child that exits on SIGTERM is not SIGKILLed`, () => {
    const out = run({
      program: "sleep",
      args: ["10"],
      timeoutMs: 100,
      cancel: "graceful",
      killGraceMs: 5000,
    });
    assert.deepEqual(out.status.kind === "signaled" && out.status.signalName, "SIGTERM");
    assert.ok(out.durationMs < 5000);
  });

  spawnTest(`[${backend}] a child that exits before its timeout is not marked timedOut`, () => {
    const out = run({ program: "echo", args: ["fast"], timeoutMs: 5000 });
    assert.equal(out.timedOut, false);
    assert.equal(out.success, true);
  });

  spawnTest(
    `[${backend}] timeout fires even when the child closed its pipes and keeps running`,
    () => {
      const out = run({
        program: "sh",
        args: ["-c", "exec >&- 2>&-; sleep 10"],
        timeoutMs: 100,
      });
      assert.equal(out.timedOut, true);
    },
  );
}

/** Polls /proc until `pid` is gone (killed processes are reaped by init asynchronously). */
function waitGone(pid: number): void {
  const until = performance.now() + 2000;
  while (pidExists(pid)) {
    const state = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]?.[0];
    if (state === "Z") break; // a zombie awaiting its reaper is dead
    if (performance.now() > until) assert.fail(`grandchild ${pid} survived the group kill`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}
