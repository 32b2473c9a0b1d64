/**
 * Parity: one table of supervision cases, each run through `runSync`, `spawn().output()` and
 * `spawnOffThread()` on every backend, which must all give the same `Output` fields or the same
 * `CoreError` code, and leave no fd, child or op behind.
 * @module
 */
import assert from "node:assert/strict";
import {
  CoreError,
  type Output,
  runSync,
  spawn,
  spawnOffThread,
  type SpawnOptions,
} from "../mod.ts";
import type { Backend } from "../ffi/options/options.ts";
import { BACKENDS } from "./_backends.ts";
import { probePath } from "./fixtures/build.ts";
import { alive, eventually, spawnTest, text } from "./_harness.ts";

const probe = probePath();

type EntryPoint = "runSync" | "spawn" | "spawnOffThread";
const ENTRY_POINTS: readonly EntryPoint[] = ["runSync", "spawn", "spawnOffThread"];

/** Runs `options` through `entry`; returns the output, or the error it ended with. */
async function runThrough(entry: EntryPoint, options: SpawnOptions): Promise<Output | unknown> {
  try {
    if (entry === "runSync") return runSync(options);
    if (entry === "spawn") return await spawn(options).output();
    return await (await spawnOffThread(options)).output();
  } catch (e) {
    return e;
  }
}

interface ParityCase {
  readonly name: string;
  readonly options: () => SpawnOptions;
  /** Entry points the case does not apply to (e.g. runSync takes no AbortSignal). */
  readonly only?: readonly EntryPoint[];
  /** Checks the result; `ms` is the wall time of the run. */
  readonly expect: (result: Output | unknown, ms: number) => void | Promise<void>;
}

function asOutput(result: unknown): Output {
  if (result instanceof Error) throw result;
  return result as Output;
}

function errorCode(result: unknown): string {
  assert.ok(result instanceof CoreError, `expected a CoreError, got ${result}`);
  return result.code;
}

/** Grandchild pids a shell printed as `gc=<pid>`. */
function grandchildren(out: Output | unknown): number[] {
  const bytes = out instanceof Error ? new Uint8Array() : (out as Output).stdout;
  return [...text(bytes).matchAll(/gc=(\d+)/g)].map((m) => Number(m[1]));
}

const CASES: readonly ParityCase[] = [
  {
    name: "a timeout below the timer's resolution still fires",
    options: () => ({ program: "sleep", args: ["5"], timeoutMs: 1e-9 }),
    expect(result, ms) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.ok(ms < 2500, `took ${ms} ms`);
    },
  },
  {
    name: "a timeout past what a timer holds is clamped, never an error",
    options: () => ({ program: probe, args: ["exit", "0"], timeoutMs: 1e22, killGraceMs: 1e22 }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.timedOut, false);
      assert.equal(out.success, true);
    },
  },
  {
    name: "killSignal is the first signal of a graceful stop",
    options: () => ({
      program: "sh",
      args: ["-c", 'trap "echo got-usr1; exit 7" USR1; echo ready; while :; do sleep 0.02; done'],
      timeoutMs: 300,
      cancel: "graceful",
      killSignal: "SIGUSR1",
    }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.match(text(out.stdout), /got-usr1/);
      assert.deepEqual(out.status, { kind: "exited", code: 7 });
    },
  },
  {
    name: "killGraceMs Infinity: the first signal only, never SIGKILL",
    options: () => ({
      program: "sh",
      args: ["-c", 'trap "" TERM; sleep 0.6; echo outlived'],
      timeoutMs: 100,
      cancel: "graceful",
      killGraceMs: Infinity,
    }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.deepEqual(out.status, { kind: "exited", code: 0 });
      assert.equal(text(out.stdout), "outlived\n");
    },
  },
  {
    name: "timeout kills the child; success is false",
    options: () => ({ program: "sleep", args: ["5"], timeoutMs: 150 }),
    expect(result, ms) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.equal(out.success, false);
      assert.equal(out.status.kind, "signaled");
      assert.ok(ms < 2500, `took ${ms} ms`);
    },
  },
  {
    name: "timeout after the leader exited while a grandchild holds stdout: group killed",
    options: () => ({
      program: "sh",
      args: ["-c", "sleep 4 & echo gc=$!; echo parent-done"],
      timeoutMs: 400,
      pgroup: "leader",
    }),
    async expect(result, ms) {
      const out = asOutput(result);
      assert.match(text(out.stdout), /parent-done/);
      assert.equal(out.timedOut, true);
      assert.equal(out.success, false);
      assert.deepEqual(out.status, { kind: "exited", code: 0 });
      assert.ok(ms < 2500, `took ${ms} ms: the timeout was ignored`);
      for (const pid of grandchildren(out)) {
        assert.ok(await eventually(() => !alive(pid)), `grandchild ${pid} outlived the group kill`);
      }
    },
  },
  {
    name: "a grandchild holding stdout without a timeout: its output is waited for",
    options: () => ({ program: "sh", args: ["-c", "(sleep 0.2; echo late) & echo early"] }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(text(out.stdout), "early\nlate\n");
      assert.equal(out.timedOut, false);
      assert.equal(out.success, true);
    },
  },
  {
    name: "early exit with afterEarlyExit wait: stdout closed, the child runs on",
    options: () => ({
      program: "sh",
      args: ["-c", "echo ready; sleep 0.1; exit 3"],
      earlyExit: (chunk) => text(chunk).includes("ready"),
      afterEarlyExit: "wait",
    }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.stdoutEarlyExited, true);
      assert.equal(text(out.stdout), "ready\n");
      assert.deepEqual(out.status, { kind: "exited", code: 3 });
    },
  },
  {
    name: "early exit with afterEarlyExit kill: the writer is stopped at once",
    options: () => ({
      program: "yes",
      earlyExit: (chunk) => chunk.includes(0x0a),
      afterEarlyExit: "kill",
    }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.stdoutEarlyExited, true);
      assert.equal(out.timedOut, false);
      assert.equal(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
    },
  },
  {
    name: "an earlyExit callback that throws: its error, the child killed and reaped",
    options: () => ({
      program: "sh",
      args: ["-c", "echo hi; sleep 3"],
      earlyExit: () => {
        throw new Error("boom");
      },
    }),
    expect(result, ms) {
      assert.ok(result instanceof Error && result.message === "boom", `got ${result}`);
      assert.ok(ms < 2000, `took ${ms} ms: the child was not stopped`);
    },
  },
  {
    name: "overflow: drained to the end, OutputOverflow with the first maxOutput bytes",
    options: () => ({ program: probe, args: ["spew", String(256 * 1024)], maxOutput: 1000 }),
    expect(result) {
      assert.equal(errorCode(result), "OutputOverflow");
      const out = (result as CoreError & { output: Output }).output;
      assert.equal(out.stdout.length, 1000);
      assert.deepEqual(out.status, { kind: "exited", code: 0 });
    },
  },
  {
    name: "abort: Aborted with the output, the child cancelled",
    only: ["spawn", "spawnOffThread"],
    options: () => ({ program: "sleep", args: ["5"], signal: AbortSignal.timeout(100) }),
    expect(result, ms) {
      assert.equal(errorCode(result), "Aborted");
      const out = (result as CoreError & { output: Output }).output;
      assert.equal(out.status.kind, "signaled");
      assert.ok(ms < 2500, `took ${ms} ms`);
    },
  },
  {
    name: "graceful cancel: SIGTERM first, and a child that ignores it gets SIGKILL",
    options: () => ({
      program: "sh",
      args: ["-c", "trap '' TERM; echo armed; sleep 5"],
      timeoutMs: 200,
      cancel: "graceful",
      killGraceMs: 100,
    }),
    expect(result, ms) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.equal(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
      assert.ok(ms < 2500, `took ${ms} ms`);
    },
  },
  {
    name: "a missing program: ENOENT naming the path, nothing started",
    options: () => ({ program: "/opt/nonexistent_binary" }),
    expect(result) {
      assert.equal(errorCode(result), "ENOENT");
      assert.match((result as Error).message, /\/opt\/nonexistent_binary/);
      assert.equal((result as CoreError).path, "/opt/nonexistent_binary");
    },
  },
  {
    name: "a missing cwd: ENOENT naming the directory",
    options: () => ({ program: "true", cwd: "/nonexistent/dir" }),
    expect(result) {
      assert.equal(errorCode(result), "ENOENT");
      assert.match((result as Error).message, /\/nonexistent\/dir/);
      assert.equal((result as CoreError).path, "/nonexistent/dir");
    },
  },
];

for (const backend of BACKENDS) {
  for (const entry of ENTRY_POINTS) {
    for (const c of CASES) {
      if (c.only && !c.only.includes(entry)) continue;
      spawnTest(`[${backend}] ${entry}: ${c.name}`, async () => {
        const started = performance.now();
        const result = await runThrough(entry, { backend: backend as Backend, ...c.options() });
        await c.expect(result, performance.now() - started);
      });
    }
  }
}

const MORE_CASES: readonly ParityCase[] = [
  {
    name: "cancel none: the timeout marks the child but lets it finish",
    options: () => ({
      program: "sh",
      args: ["-c", "sleep 0.3; echo done"],
      timeoutMs: 50,
      cancel: "none",
    }),
    expect(result) {
      const out = asOutput(result);
      assert.equal(out.timedOut, true);
      assert.equal(out.success, false, "a timed-out run is no success");
      assert.deepEqual(out.status, { kind: "exited", code: 0 });
      assert.equal(text(out.stdout), "done\n");
    },
  },
  {
    name: "overflow kill: an endless writer is stopped at the cap",
    options: () => ({ program: "yes", maxOutput: 1000, overflow: "kill" }),
    expect(result, ms) {
      assert.equal(errorCode(result), "OutputOverflow");
      const out = (result as CoreError & { output: Output }).output;
      assert.equal(out.stdout.length, 1000);
      assert.equal(out.status.kind === "signaled" && out.status.signalName, "SIGKILL");
      assert.ok(ms < 2000, `took ${ms} ms`);
    },
  },
  {
    name: "env null removes an inherited variable; others stay",
    options: () => ({
      program: "sh",
      args: ["-c", 'echo "${HOME-unset}|${PATH:+path}"'],
      env: { HOME: null },
    }),
    expect(result) {
      assert.equal(text(asOutput(result).stdout), "unset|path\n");
    },
  },
];

for (const backend of BACKENDS) {
  for (const entry of ENTRY_POINTS) {
    for (const c of MORE_CASES) {
      spawnTest(`[${backend}] ${entry}: ${c.name}`, async () => {
        const started = performance.now();
        const result = await runThrough(entry, { backend: backend as Backend, ...c.options() });
        await c.expect(result, performance.now() - started);
      });
    }
  }
}

for (const backend of BACKENDS) {
  for (const entry of ENTRY_POINTS) {
    spawnTest(
      `[${backend}] ${entry}: pgroup { join } puts the child in an existing group`,
      async () => {
        const leader = spawn({ program: "sleep", args: ["5"], pgroup: "leader" });
        try {
          const result = await runThrough(entry, {
            backend: backend as Backend,
            program: "sh",
            args: ["-c", 'cut -d" " -f5 /proc/$$/stat'],
            pgroup: { join: leader.pid },
          });
          assert.equal(Number(text(asOutput(result).stdout)), leader.pid);
        } finally {
          leader.killGroup("SIGKILL");
          await leader.status;
          await leader.output().catch(() => {});
        }
      },
    );
  }
}

Deno.test("pgroup { join } is validated", () => {
  for (const pgroup of [{ join: 0 }, { join: -3 }, { join: 1.5 }, { join: 5, x: 1 }]) {
    assert.throws(
      () => runSync({ program: "true", pgroup: pgroup as { join: number } }),
      (e) => e instanceof CoreError && e.code === "InvalidArgument",
    );
  }
});
