import assert from "node:assert/strict";
import type { Output, SpawnOptions } from "../mod.ts";
import { BACKENDS, runWith } from "./_backends.ts";
import { cloexecPipe, closeFd, fdFlags } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import { probePath } from "./fixtures/build.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";

const probe = probePath();

/** A pipe whose ends are inheritable (no FD_CLOEXEC), as a careless library would leave one. */
function inheritablePipe(): [number, number] {
  const ends = new Int32Array(2);
  assert.equal(libc().symbols.pipe2(new Uint8Array(ends.buffer), 0), 0);
  return [ends[0], ends[1]];
}

function childFds(run: (o: SpawnOptions) => Output, options: SpawnOptions): number[] {
  const out = run(options);
  assert.equal(out.success, true, text(out.stderr));
  return text(out.stdout).trim().split("\n").map(Number).sort((a, b) => a - b);
}

function withFds(fn: (leaky: number[], sealed: number[]) => void): void {
  const leaky = inheritablePipe();
  const sealed = cloexecPipe("test pipe");
  try {
    fn(leaky, sealed);
  } finally {
    for (const fd of [...leaky, ...sealed]) closeFd(fd);
  }
}

for (const backend of BACKENDS) {
  const run = runWith(backend);

  spawnTest(
    `[${backend}] cloexecOnly: inheritable fds leak into the child, close-on-exec ones do not`,
    () => {
      withFds((leaky, sealed) => {
        const fds = childFds(run, { program: probe, args: ["fds"] });
        for (const fd of leaky) assert.ok(fds.includes(fd), `inheritable fd ${fd} should leak`);
        for (const fd of sealed) assert.ok(!fds.includes(fd), `cloexec fd ${fd} must not`);
        for (const fd of [0, 1, 2]) assert.ok(fds.includes(fd));
      });
    },
  );

  spawnTest(`[${backend}] closeFrom3: the child gets 0, 1, 2 and nothing else`, () => {
    withFds(() => {
      assert.deepEqual(childFds(run, { program: probe, args: ["fds"], fdPolicy: "closeFrom3" }), [
        0,
        1,
        2,
      ]);
    });
  });

  spawnTest(`[${backend}] allowlist: exactly the listed fds survive, cloexec or not`, () => {
    withFds((leaky, sealed) => {
      const allow = [leaky[0], sealed[1]];
      const fds = childFds(run, { program: probe, args: ["fds"], fdPolicy: { allow } });
      assert.deepEqual(fds, [0, 1, 2, ...allow].sort((a, b) => a - b));
      assert.ok(fdFlags(sealed[1]) & 1, "the parent's fd keeps FD_CLOEXEC");
    });
  });

  spawnTest(`[${backend}] allowlist: a kept fd is the same open file in the child`, () => {
    withFds((_leaky, sealed) => {
      const [r, w] = sealed;
      const out = run({
        program: "sh",
        args: ["-c", `printf via-fd > /proc/self/fd/${w}`], // dash has no fd > 9 redirects
        fdPolicy: { allow: [w] },
      });
      assert.equal(out.success, true, text(out.stderr));
      const buf = new Uint8Array(16);
      const n = Number(libc().symbols.read(r, buf, 16n));
      assert.equal(text(buf.subarray(0, n)), "via-fd");
    });
  });

  spawnTest(`[${backend}] allowlist: negative, stdio, duplicate and closed fds are refused`, () => {
    assertCoreError(() => run({ program: "true", fdPolicy: { allow: [-1] } }), "InvalidArgument");
    assertCoreError(() => run({ program: "true", fdPolicy: { allow: [1] } }), "InvalidArgument");
    withFds((leaky) => {
      assertCoreError(
        () => run({ program: "true", fdPolicy: { allow: [leaky[0], leaky[0]] } }),
        "InvalidArgument",
      );
    });
    const [r, w] = cloexecPipe("test pipe");
    closeFd(r);
    closeFd(w);
    assertCoreError(
      () => run({ program: "true", fdPolicy: { allow: [r] } }),
      "EBADF",
      "fdPolicy",
    );
  });
}
