/**
 * A child in a pseudo-terminal, on every backend and through runSync and spawn:
 * it sees a terminal on 0, 1 and 2 of the size asked for, follows `resize`, gets SIGINT from
 * `\x03`, and nothing it wrote before exiting is lost; no master or slave outlives the child.
 * @module
 */
import assert from "node:assert/strict";
import { AbortedError, OutputOverflowError, runSync, spawn } from "../mod.ts";
import type { Backend } from "../ffi/options/options.ts";
import { assertCoreError, pidExists, spawnTest, text } from "./_harness.ts";

const PTY = { columns: 91, rows: 17 };
const BACKENDS: readonly Backend[] = ["vfork", "fork", "posixSpawn"];

/** This process's fds on a pty master or slave. */
function ptyFds(): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${entry.name}`);
      if (/^\/dev\/(ptmx|pts\/)/.test(target)) found.push(`${entry.name} -> ${target}`);
    } catch { /* the fd of the directory scan itself */ }
  }
  return found.sort();
}

/** A shell script in a pty that the test reads up to a marker, types into, then reads out. */
function ptyShell(backend: Backend, script: string) {
  const child = spawn({
    backend,
    program: "sh",
    args: ["-c", script],
    pty: PTY,
    stdin: "piped",
    stdout: "piped",
    timeoutMs: 5000,
  });
  const reader = child.stdout!.getReader();
  const writer = child.stdin!.getWriter();
  let seen = "";
  return {
    child,
    async until(marker: string): Promise<void> {
      while (!seen.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) assert.fail(`the output ended before ${JSON.stringify(marker)}: ${seen}`);
        seen += text(value);
      }
    },
    type: (keys: string | Uint8Array) =>
      writer.write(typeof keys === "string" ? new TextEncoder().encode(keys) : keys),
    /** Everything read, once the child's output ended and it was reaped. */
    async finish(): Promise<string> {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += text(value);
      }
      await child.status;
      await writer.close().catch(() => {});
      await child.output();
      return seen;
    },
  };
}

for (const backend of BACKENDS) {
  spawnTest(`[${backend}] pty: a terminal on 0, 1, 2 of the asked size, named /dev/pts/N`, () => {
    const out = runSync({
      backend,
      program: "sh",
      args: ["-c", "tty; stty size; test -t 0 -a -t 1 -a -t 2 && echo all-ttys; echo err >&2"],
      pty: PTY,
    });
    const lines = text(out.stdout).replace(/\r/g, "").trim().split("\n");
    assert.match(lines[0], /^\/dev\/pts\/\d+$/);
    assert.equal(lines[1], "17 91");
    assert.equal(lines[2], "all-ttys");
    assert.equal(lines[3], "err", "stderr comes through the pty too");
    assert.equal(out.stderr.length, 0);
  });

  spawnTest(`[${backend}] pty: resize reaches the child (stty size follows)`, async () => {
    const shell = ptyShell(backend, "stty size; read line; stty size");
    await shell.until("17 91");
    assert.equal(shell.child.resize(120, 40), true);
    await shell.type("go\n");
    const seen = await shell.finish();
    const sizes = seen.replace(/\r/g, "").split("\n").filter((l) => /^\d+ \d+$/.test(l));
    assert.deepEqual(sizes, ["17 91", "40 120"]);
    assert.equal(shell.child.resize(80, 24), false, "nothing to resize once it ended");
  });

  spawnTest(`[${backend}] pty: \\x03 is SIGINT to the foreground group`, async () => {
    const shell = ptyShell(
      backend,
      'trap "echo got-int; exit 0" INT; echo ready; while :; do sleep 0.05; done',
    );
    await shell.until("ready");
    await shell.type(new Uint8Array([3]));
    assert.match(await shell.finish(), /got-int/);
    assert.deepEqual(await shell.child.status, { kind: "exited", code: 0 });
  });

  spawnTest(`[${backend}] pty: fed stdin ends with the terminal's EOF; cat exits`, async () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    // `wc -c` counts what it read: the EOF character itself is never part of the input.
    for (const [input, expect] of [["one\ntwo\n", "8"], ["partial", "7"], ["", "0"]]) {
      const options = {
        backend,
        program: "wc",
        args: ["-c"],
        pty: PTY,
        stdin: bytes(input),
        timeoutMs: 10_000,
      };
      for (const out of [runSync(options), await spawn(options).output()]) {
        assert.equal(out.timedOut, false, `${JSON.stringify(input)} never saw end of input`);
        assert.deepEqual(out.status, { kind: "exited", code: 0 });
        // The terminal echoes the input first: the count is the number that ends the output.
        assert.equal(text(out.stdout).match(/(\d+)\s*$/)?.[1], expect, JSON.stringify(input));
      }
    }
  });

  spawnTest(
    `[${backend}] pty: closing piped stdin types EOF; the child sees end of input`,
    async () => {
      const child = spawn({
        backend,
        program: "cat",
        pty: PTY,
        stdin: "piped",
        stdout: "piped",
        timeoutMs: 10_000,
      });
      const writer = child.stdin!.getWriter();
      await writer.write(new TextEncoder().encode("typed"));
      await writer.close();
      const out = await child.output();
      assert.equal(out.timedOut, false);
      assert.deepEqual(out.status, { kind: "exited", code: 0 });
    },
  );

  spawnTest(`[${backend}] pty: everything written just before exit arrives`, async () => {
    const out = await spawn({
      backend,
      program: "sh",
      args: ["-c", "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; exit 3"],
      pty: PTY,
    }).output();
    const lines = text(out.stdout).replace(/\r/g, "").trim().split("\n");
    assert.equal(lines.length, 2000);
    assert.equal(lines.at(-1), "line-1999");
    assert.deepEqual(out.status, { kind: "exited", code: 3 });
  });

  spawnTest(
    `[${backend}] pty: a child that closed its terminal is not hung up before it exits`,
    async () => {
      // The output ends (EIO) when 0, 1 and 2 close, as wc and other coreutils do just before
      // exiting; closing the master then would SIGHUP the child while it still runs.
      const options = {
        backend,
        program: "sh",
        args: ["-c", "echo bye; exec 0<&- 1>&- 2>&-; sleep 0.2; exit 3"],
        pty: PTY,
        timeoutMs: 10_000,
      };
      for (const out of [runSync(options), await spawn(options).output()]) {
        assert.deepEqual(out.status, { kind: "exited", code: 3 });
        assert.match(text(out.stdout), /bye/);
      }
    },
  );

  spawnTest(
    `[${backend}] pty: an early exit hangs the terminal up, as a pipe breaks for its writer`,
    async () => {
      const options = {
        backend,
        program: "yes",
        pty: PTY,
        earlyExit: () => true,
        timeoutMs: 10_000,
      };
      for (const out of [runSync(options), await spawn(options).output()]) {
        assert.equal(out.stdoutEarlyExited, true);
        assert.equal(out.timedOut, false, "a writer to a terminal nobody reads would block");
        assert.equal(out.status.kind === "signaled" && out.status.signalName, "SIGHUP");
      }
    },
  );

  spawnTest(`[${backend}] pty: a timeout stops the whole session, output kept`, () => {
    const out = runSync({
      backend,
      program: "sh",
      args: ["-c", "echo before; sleep 30 & wait"],
      pty: PTY,
      timeoutMs: 300,
    });
    assert.equal(out.timedOut, true);
    assert.match(text(out.stdout), /before/);
    assert.equal(out.status.kind, "signaled");
  });

  spawnTest(
    `[${backend}] pty: early exit, abort and the output cap mean what they do for pipes`,
    async () => {
      const early = runSync({
        backend,
        program: "sh",
        args: ["-c", "echo ready; exec sleep 30"],
        pty: PTY,
        earlyExit: (chunk) => text(chunk).includes("ready"),
        afterEarlyExit: "kill",
        timeoutMs: 10_000,
      });
      assert.equal(early.stdoutEarlyExited, true);
      assert.equal(early.status.kind, "signaled", "the kill reached it");
      assert.equal(early.timedOut, false);

      const controller = new AbortController();
      const child = spawn({
        backend,
        program: "sh",
        args: ["-c", "echo up; sleep 30"],
        pty: PTY,
        stdout: "piped",
        signal: controller.signal,
      });
      const reader = child.stdout!;
      const chunks = reader.getReader();
      await chunks.read();
      chunks.releaseLock();
      controller.abort();
      await assert.rejects(child.output(), AbortedError);
      assert.equal(pidExists(child.pid), false);

      assert.throws(
        () =>
          runSync({
            backend,
            program: "sh",
            args: ["-c", "i=0; while [ $i -lt 500 ]; do echo 0123456789; i=$((i+1)); done"],
            pty: PTY,
            maxOutput: 1000,
          }),
        OutputOverflowError,
      );
    },
  );

  spawnTest(
    `[${backend}] pty: no master or slave outlives the child or reaches a sibling`,
    async () => {
      const before = ptyFds();
      const child = spawn({ backend, program: "sh", args: ["-c", "sleep 0.3"], pty: PTY });
      const sibling = runSync({ backend, program: "sh", args: ["-c", "ls -l /proc/self/fd/"] });
      const own = text(sibling.stdout).split("\n").filter((l) => /ptmx|\/dev\/pts\//.test(l));
      // The sibling may share this process's own terminal (fds 0-2 under a terminal), no more.
      assert.deepEqual(own.filter((l) => !/ [012] -> /.test(l)), []);
      await child.output();
      assert.deepEqual(ptyFds(), before);
    },
  );
}

Deno.test("pty: bad input is refused before anything starts", () => {
  assertCoreError(
    () => runSync({ program: "true", pty: { columns: 0, rows: 24 } }),
    "InvalidArgument",
  );
  assertCoreError(() => runSync({ program: "true", pty: PTY, stdout: "null" }), "InvalidArgument");
  assertCoreError(
    () => runSync({ program: "true", pty: PTY, pgroup: "leader" }),
    "InvalidArgument",
  );
});
