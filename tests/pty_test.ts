/**
 * A child in a pseudo-terminal, on the fork and vfork backends and through runSync and spawn:
 * it sees a terminal on 0, 1 and 2 of the size asked for, follows `resize`, gets SIGINT from
 * `\x03`, and nothing it wrote before exiting is lost; no master or slave outlives the child.
 * @module
 */
import assert from "node:assert/strict";
import { runSync, spawn } from "../mod.ts";
import type { Backend } from "../ffi/spawn/options.ts";
import { assertCoreError, eventually, spawnTest, text } from "./_harness.ts";

const PTY = { columns: 91, rows: 17 };
const HELPER_BACKENDS: readonly Backend[] = ["vfork", "fork"];

for (const backend of HELPER_BACKENDS) {
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
    const child = spawn({
      backend,
      program: "sh",
      args: ["-c", "stty size; read line; stty size"],
      pty: PTY,
      stdin: "piped",
      stdout: "piped",
      timeoutMs: 5000,
    });
    const reader = child.stdout!.getReader();
    let seen = "";
    while (!seen.includes("17 91")) seen += text((await reader.read()).value ?? new Uint8Array());
    assert.equal(child.resize(120, 40), true);
    const writer = child.stdin!.getWriter();
    await writer.write(new TextEncoder().encode("go\n"));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += text(value);
    }
    const sizes = seen.replace(/\r/g, "").split("\n").filter((l) => /^\d+ \d+$/.test(l));
    assert.deepEqual(sizes, ["17 91", "40 120"]);
    await child.status;
    await writer.close().catch(() => {});
    await child.output();
    assert.equal(child.resize(80, 24), false, "nothing to resize once it ended");
  });

  spawnTest(`[${backend}] pty: \\x03 is SIGINT to the foreground group`, async () => {
    const child = spawn({
      backend,
      program: "sh",
      args: ["-c", 'trap "echo got-int; exit 0" INT; echo ready; while :; do sleep 0.05; done'],
      pty: PTY,
      stdin: "piped",
      stdout: "piped",
      timeoutMs: 5000,
    });
    const reader = child.stdout!.getReader();
    let seen = "";
    while (!seen.includes("ready")) seen += text((await reader.read()).value ?? new Uint8Array());
    const writer = child.stdin!.getWriter();
    await writer.write(new Uint8Array([3]));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += text(value);
    }
    assert.match(seen, /got-int/);
    assert.deepEqual(await child.status, { kind: "exited", code: 0 });
    await writer.close().catch(() => {});
    await child.output();
  });

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
}

spawnTest("pty: a sibling spawned meanwhile holds no master or slave", async () => {
  const child = spawn({ program: "sh", args: ["-c", "sleep 0.3"], pty: PTY });
  const sibling = runSync({ program: "sh", args: ["-c", "ls -l /proc/self/fd/"] });
  assert.doesNotMatch(text(sibling.stdout), /ptmx|\/dev\/pts/);
  await child.output();
  assert.ok(await eventually(() => true));
});

Deno.test("pty: bad input and posix_spawn are refused before anything starts", () => {
  assertCoreError(
    () => runSync({ program: "true", pty: { columns: 0, rows: 24 } }),
    "InvalidArgument",
  );
  assertCoreError(() => runSync({ program: "true", pty: PTY, stdout: "null" }), "InvalidArgument");
  assertCoreError(
    () => runSync({ program: "true", pty: PTY, pgroup: "leader" }),
    "InvalidArgument",
  );
  assertCoreError(
    () => runSync({ program: "true", pty: PTY, backend: "posixSpawn" }),
    "UnsupportedOption",
  );
});
