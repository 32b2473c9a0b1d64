/**
 * Redirections on every backend, through runSync and spawn(): files (create, truncate, append,
 * mode), the caller's own fds, `2>&1`, stdin from a file; bad paths are typed errors naming the
 * path before any child exists, and nothing opened for a child leaks.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CoreError, type Output, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { cloexecPipe, closeFd, fdFlags, readSome } from "../ffi/os/fds.ts";
import { BACKENDS } from "./_backends.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";

const ENTRIES: Record<string, (o: SpawnOptions) => Promise<Output>> = {
  runSync: (o) => Promise.resolve(runSync(o)),
  spawn: (o) => spawn(o).output(),
};

function tempDir(): { dir: string } & Disposable {
  const dir = Deno.makeTempDirSync({ prefix: "coreshift-redirect-" });
  return { dir, [Symbol.dispose]: () => Deno.removeSync(dir, { recursive: true }) };
}

for (const backend of BACKENDS) {
  for (const [entry, run] of Object.entries(ENTRIES)) {
    const name = `[${backend}] ${entry}`;

    spawnTest(`${name}: stdout to a file (created, then truncated), stderr appended`, async () => {
      using t = tempDir();
      const out = join(t.dir, "out.txt");
      const err = join(t.dir, "err.txt");
      Deno.writeTextFileSync(err, "before\n");
      const sh = (script: string) => ({ backend, program: "sh", args: ["-c", script] });
      const r = await run({
        ...sh("echo one; echo two >&2"),
        stdout: { file: out, mode: 0o600 },
        stderr: { file: err, append: true },
      });
      assert.equal(r.success, true);
      assert.deepEqual([r.stdout.length, r.stderr.length], [0, 0], "nothing captured");
      assert.equal(Deno.readTextFileSync(out), "one\n");
      assert.equal(Deno.statSync(out).mode! & 0o777, 0o600);
      assert.equal(Deno.readTextFileSync(err), "before\ntwo\n");
      await run({ ...sh("echo 3"), stdout: { file: out } });
      assert.equal(Deno.readTextFileSync(out), "3\n", "truncated");
    });

    spawnTest(`${name}: 2>&1 keeps the order of both streams in one capture`, async () => {
      const r = await run({
        backend,
        program: "sh",
        args: ["-c", "echo a; echo b >&2; echo c; echo d >&2"],
        stderr: "stdout",
      });
      assert.equal(text(r.stdout), "a\nb\nc\nd\n");
      assert.equal(r.stderr.length, 0);
    });

    spawnTest(
      `${name}: stdin from a file; stdout to the caller's fd, which stays open`,
      async () => {
        using t = tempDir();
        const input = join(t.dir, "in.txt");
        Deno.writeTextFileSync(input, "from a file\n");
        const [r, w] = cloexecPipe("test pipe");
        try {
          const result = await run({
            backend,
            program: "cat",
            stdin: { file: input },
            stdout: { fd: w },
          });
          assert.equal(result.success, true);
          assert.ok(fdFlags(w) >= 0, "the caller's fd is still open");
          const buf = new Uint8Array(64);
          const n = readSome(r, buf, "test read");
          assert.equal(text(buf.subarray(0, n as number)), "from a file\n");
        } finally {
          closeFd(r);
          closeFd(w);
        }
      },
    );

    spawnTest(`${name}: a bad path is a typed error naming it; no child starts`, async () => {
      let caught: unknown;
      try {
        await run({ backend, program: "true", stdin: { file: "/nonexistent/in.txt" } });
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof CoreError, String(caught));
      assert.equal(caught.code, "ENOENT");
      assert.equal(caught.path, "/nonexistent/in.txt");
      assert.match(caught.message, /\/nonexistent\/in\.txt/);
    });
  }
}

spawnTest("a redirect file never reaches a sibling started while its child runs", async () => {
  using t = tempDir();
  const out = join(t.dir, "only-for-the-first-child");
  const first = spawn({ program: "sh", args: ["-c", "sleep 0.2"], stdout: { file: out } });
  const sibling = runSync({ program: "sh", args: ["-c", "ls -l /proc/self/fd/"] });
  assert.doesNotMatch(text(sibling.stdout), /only-for-the-first-child/);
  assert.equal((await first.output()).success, true);
});

Deno.test("redirections are validated before anything is opened", () => {
  const bad: SpawnOptions[] = [
    { program: "true", stdout: { file: "" } },
    { program: "true", stdout: { file: "a\0b" } },
    { program: "true", stdout: { file: "x", mode: 0o10000 } },
    { program: "true", stdout: { file: "x", append: "yes" as unknown as boolean } },
    { program: "true", stdin: { file: "x", append: true } as unknown as { file: string } },
    { program: "true", stdout: { fd: -1 } },
    { program: "true", stderr: "stderr" as "stdout" },
  ];
  for (const options of bad) assertCoreError(() => runSync(options), "InvalidArgument");
  assertCoreError(() => runSync({ program: "true", stdout: { fd: 999_999 } }), "EBADF");
  assertCoreError(
    () => runSync({ program: "true", stdout: { file: "/nonexistent/x", create: false } }),
    "ENOENT",
  );
});

/** A FIFO in a fresh directory, and a Deno.Command that opens its other end `afterMs` later. */
function fifoWithLateOpener(direction: "read" | "write", afterMs: number) {
  const t = tempDir();
  const fifo = join(t.dir, "fifo");
  assert.equal(runSync({ program: "mkfifo", args: [fifo] }).success, true);
  // On a build whose open() blocks, this late opener is what unblocks it, so the test fails
  // (too slow, event loop stopped) instead of hanging.
  const redirect = direction === "read" ? "3<" : "3>";
  const opener = new Deno.Command("timeout", {
    args: ["5", "sh", "-c", `sleep ${afterMs / 1000}; exec ${redirect}"$0"; sleep 0.2`, fifo],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    fifo,
    async [Symbol.asyncDispose]() {
      opener.kill("SIGKILL");
      await opener.status;
      t[Symbol.dispose]();
    },
  };
}

/** Runs `fn`, counting how often a 10 ms interval fired meanwhile: 0 means the loop stood still. */
async function ticksDuring<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; ticks: number; ms: number }> {
  let ticks = 0;
  const id = setInterval(() => ticks++, 10);
  const start = performance.now();
  try {
    const result = await fn();
    await new Promise((r) => setTimeout(r, 30));
    return { result, ticks, ms: performance.now() - start };
  } finally {
    clearInterval(id);
  }
}

for (const [entry, run] of Object.entries(ENTRIES)) {
  spawnTest(
    `${entry}: stdout to a FIFO nobody reads is ENXIO at once, not a frozen open`,
    async () => {
      await using f = fifoWithLateOpener("read", 1500);
      const { result, ms } = await ticksDuring(() =>
        Promise.resolve().then(() =>
          run({ program: "echo", args: ["x"], stdout: { file: f.fifo }, timeoutMs: 5000 })
        ).then(
          () => null,
          (e) => e,
        )
      );
      assert.ok(result instanceof CoreError && result.code === "ENXIO", `got ${result}`);
      assert.match(result.message, /no process has this FIFO open for reading/);
      assert.equal(result.path, f.fifo);
      assert.ok(ms < 1000, `the open waited ${ms.toFixed(0)} ms for a reader`);
    },
  );

  spawnTest(
    `${entry}: stdin from a FIFO nobody writes starts at once; the child reads EOF`,
    async () => {
      await using f = fifoWithLateOpener("write", 1500);
      const { result, ticks, ms } = await ticksDuring(() =>
        run({ program: "cat", stdin: { file: f.fifo }, timeoutMs: 5000 })
      );
      assert.equal(result.success, true);
      assert.equal(text(result.stdout), "");
      assert.ok(ms < 1000, `the open waited ${ms.toFixed(0)} ms for a writer`);
      if (entry === "spawn") assert.ok(ticks > 0, "the event loop kept running");
    },
  );
}

spawnTest("a FIFO with its reader already there carries the child's output", async () => {
  using t = tempDir();
  const fifo = join(t.dir, "fifo");
  runSync({ program: "mkfifo", args: [fifo] });
  const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).spawn();
  let out: Output | null = null;
  for (let i = 0; i < 500 && !out; i++) { // ENXIO until cat has the FIFO open
    try {
      out = await spawn({ program: "echo", args: ["through the fifo"], stdout: { file: fifo } })
        .output();
    } catch (e) {
      if (!(e instanceof CoreError && e.code === "ENXIO")) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  assert.equal(out?.success, true);
  assert.equal(text((await reader.output()).stdout), "through the fifo\n");
});
