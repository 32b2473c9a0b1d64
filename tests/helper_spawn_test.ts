/**
 * The native helper backend (fork and vfork): what the child-setup steps do in the child (rlimits,
 * signals, the fd policy with and without close_range), how a failed step is reported, and which
 * fd work the plan hands the helper on each platform.
 * @module
 */
import assert from "node:assert/strict";
import type { SpawnOptions } from "../mod.ts";
import { cloexecPipe, closeFd, fdFlags, readSome } from "../ffi/os/fds.ts";
import { libc } from "../ffi/os/libc.ts";
import type { Platform } from "../ffi/platform/platform.ts";
import { reap } from "../ffi/platform/process_control.ts";
import { hostPlatform } from "../ffi/platform/platform.ts";
import { childFdWork, helperSpawn } from "../ffi/native/helper_spawn.ts";
import { planSpawn } from "../ffi/plan/plan.ts";
import { hostPosixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { probePath } from "./fixtures/build.ts";
import { runWith } from "./_backends.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
import { assertCoreError, spawnTest, text } from "./_harness.ts";

const probe = probePath();

for (const backend of ["fork", "vfork"] as const) {
  const run = runWith(backend);

  spawnTest(
    `[${backend}] a bad stdout fd fails in the child as EBADF at "child dup2 stdout"`,
    () => {
      // A number nothing holds (a just-closed one could be reused by the fork error pipe).
      let w = 4000;
      while (fdFlags(w) >= 0) w++;
      const plan = planSpawn(
        validateOptions({ program: "true", backend }),
        backend,
        hostPosixSpawnCaps(),
      );
      const err = assertCoreError(
        () => helperSpawn(plan, ["null", w, "null"], hostPlatform()),
        "EBADF",
        "child dup2 stdout",
      );
      assert.equal(err.errno, 9);
    },
  );

  spawnTest(`[${backend}] an impossible rlimit fails in the child at "child setrlimit"`, () => {
    // Above fs.nr_open: refused with EPERM even for root.
    const huge = 2 ** 40;
    assertCoreError(
      () => run({ program: "true", rlimits: { nofile: { soft: huge, hard: huge } } }),
      "EPERM",
      "child setrlimit",
    );
  });

  spawnTest(`[${backend}] rlimits are set in the child (/proc/self/limits)`, () => {
    const out = run({
      program: probe,
      args: ["limits"],
      rlimits: { nofile: { soft: 64, hard: 128 }, core: { soft: 0, hard: Infinity } },
    });
    const limits = text(out.stdout);
    assert.match(limits, /^Max open files\s+64\s+128\s+files/m);
    assert.match(limits, /^Max core file size\s+0\s+unlimited\s+bytes/m);
  });

  spawnTest(`[${backend}] every signal is at its default in the child and none is blocked`, () => {
    const out = run({ program: probe, args: ["status"] });
    assert.match(text(out.stdout), /^SigBlk:\s+0+$/m);
    assert.match(text(out.stdout), /^SigIgn:\s+0+$/m, "unlike glibc posix_spawn, not even 32/33");
  });

  spawnTest(
    `[${backend}] closeFrom3 keeps the error channel: a failed exec is still reported`,
    () => {
      assertCoreError(
        () => run({ program: "/nonexistent/prog", fdPolicy: "closeFrom3" }),
        "ENOENT",
        "child execve",
      );
    },
  );
}

/**
 * The fds a probe child reports having, spawned straight through the helper as `platform`
 * would have it (a pretend Android below API 33 makes the child walk /proc/self/fd).
 */
function fdsInChild(
  backend: "fork" | "vfork",
  fdPolicy: SpawnOptions["fdPolicy"],
  platform: Platform,
): number[] {
  const plan = planSpawn(
    validateOptions({ program: probe, args: ["fds"], backend, fdPolicy }),
    backend,
    hostPosixSpawnCaps(),
  );
  const [r, w] = cloexecPipe("test pipe");
  let pid = -1;
  try {
    pid = helperSpawn(plan, ["null", w, "null"], platform);
  } finally {
    closeFd(w);
    if (pid < 0) closeFd(r);
  }
  const chunks: number[] = [];
  const buf = new Uint8Array(4096);
  for (let n; (n = readSome(r, buf, "read probe")) !== 0;) {
    if (n !== "again") chunks.push(...buf.subarray(0, n));
  }
  closeFd(r);
  const reaped = reap(pid, true);
  assert.equal(reaped?.status.kind === "exited" && reaped.status.code, 0);
  return text(new Uint8Array(chunks)).trim().split("\n").map(Number).sort((a, b) => a - b);
}

/** An fd number past the 16,384 the helper scans number by number. */
const SPARSE_FD = 17000;

/** This process's soft RLIMIT_NOFILE. */
function softFdLimit(): number {
  const line = Deno.readTextFileSync("/proc/self/limits").match(/^Max open files\s+(\d+)/m);
  return line ? Number(line[1]) : 0;
}

/** An open pipe whose ends are inheritable (no FD_CLOEXEC). */
function inheritablePipe(): [number, number] {
  const ends = new Int32Array(2);
  assert.equal(libc().symbols.pipe2(new Uint8Array(ends.buffer), 0), 0);
  return [ends[0], ends[1]];
}

for (const backend of ["fork", "vfork"] as const) {
  const below33 = pretendAndroid(29, { kernel: [6, 1] });
  assert.equal(childFdWork({ kind: "closeFrom3" }, below33).closeAbove2, "byScan");

  spawnTest(`[${backend}] closeFrom3 without close_range (API < 33): only 0, 1, 2`, () => {
    // 300 inheritable fds: the child scans its fd table (FDSize 512) in two ppoll batches.
    const leaky = Array.from({ length: 150 }, inheritablePipe).flat();
    const sealed = cloexecPipe("test pipe");
    try {
      assert.deepEqual(fdsInChild(backend, "closeFrom3", below33), [0, 1, 2]);
    } finally {
      for (const fd of [...leaky, ...sealed]) closeFd(fd);
    }
  });

  spawnTest(
    `[${backend}] closeFrom3 without close_range, a sparse fd table: walked, only 0, 1, 2`,
    () => {
      // An fd at 17000 grows the table past 16,384 numbers: the child walks /proc/self/fd.
      const leaky = Array.from({ length: 50 }, inheritablePipe).flat();
      const { fcntl } = libc().abi.kernel.common;
      const high = libc().symbols.fcntl(leaky[0], fcntl.F_DUPFD_CLOEXEC, SPARSE_FD);
      try {
        assert.ok(high >= SPARSE_FD, `fcntl(F_DUPFD_CLOEXEC, ${SPARSE_FD}) gave ${high}`);
        assert.deepEqual(fdsInChild(backend, "closeFrom3", below33), [0, 1, 2]);
      } finally {
        for (const fd of leaky) closeFd(fd);
        if (high >= 0) closeFd(high);
      }
    },
    softFdLimit() > SPARSE_FD ? false : `needs ulimit -n above ${SPARSE_FD}, have ${softFdLimit()}`,
  );

  spawnTest(`[${backend}] allowlist without close_range: exactly the listed fds`, () => {
    const leaky = inheritablePipe();
    const sealed = cloexecPipe("test pipe");
    try {
      const allow = [sealed[1], leaky[0]]; // not sorted: the child must not care
      const fds = fdsInChild(backend, { allow }, below33);
      assert.deepEqual(fds, [0, 1, 2, ...allow].sort((a, b) => a - b));
    } finally {
      for (const fd of [...leaky, ...sealed]) closeFd(fd);
    }
  });

  spawnTest(`[${backend}] allowlist by close_range gaps: exactly the listed fds`, () => {
    const leaky = inheritablePipe();
    const sealed = cloexecPipe("test pipe");
    try {
      const allow = [sealed[1], leaky[0], sealed[0]];
      const fds = fdsInChild(backend, { allow }, pretendGlibc());
      assert.deepEqual(fds, [0, 1, 2, ...allow].sort((a, b) => a - b));
    } finally {
      for (const fd of [...leaky, ...sealed]) closeFd(fd);
    }
  });

  spawnTest(
    `[${backend}] the /proc/self/fd walk keeps the error channel: a failed step is reported`,
    () => {
      const plan = planSpawn(
        validateOptions({ program: "/nonexistent/prog", backend, fdPolicy: "closeFrom3" }),
        backend,
        hostPosixSpawnCaps(),
      );
      assertCoreError(
        () => helperSpawn(plan, ["null", "null", "null"], pretendAndroid(29, { kernel: [6, 1] })),
        "ENOENT",
        "child execve",
      );
    },
  );
}

spawnTest("[vfork] works with a 1 GiB heap, async work and signal listeners active", async () => {
  const heap = new Uint8Array(1024 * 1024 * 1024);
  for (let i = 0; i < heap.length; i += 4096) heap[i] = 1; // touch every page: it is resident
  const onSignal = () => {};
  Deno.addSignalListener("SIGUSR1", onSignal);
  Deno.addSignalListener("SIGCHLD", onSignal);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    const run = runWith("vfork");
    const pending = new Deno.Command("sleep", { args: ["0.2"] }).output();
    for (let i = 0; i < 200; i++) {
      const out = run({ program: probe, args: ["exit", String(i % 7)] });
      assert.equal(out.status.kind === "exited" && out.status.code, i % 7);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    Deno.kill(Deno.pid, "SIGUSR1"); // a handled signal while we spawn: must not reach a child
    const out = run({ program: probe, args: ["status"] });
    assert.match(text(out.stdout), /^SigIgn:\s+0+$/m);
    assert.equal((await pending).success, true, "Deno.Command's child still reaped by Deno");
    assert.ok(ticks > 0, "the event loop kept running");
    assert.equal(heap[4096], 1);
  } finally {
    clearInterval(timer);
    Deno.removeSignalListener("SIGUSR1", onSignal);
    Deno.removeSignalListener("SIGCHLD", onSignal);
  }
});

Deno.test("childFdWork: close_range where the syscall gate allows it, else a scan in the child", () => {
  const linux = pretendGlibc();
  const android = (api: number) => pretendAndroid(api, { kernel: [6, 1] });
  const closeFrom3 = { kind: "closeFrom3" } as const;
  assert.deepEqual(childFdWork({ kind: "cloexecOnly" }, linux), { closeAbove2: "none", keep: [] });
  assert.deepEqual(childFdWork(closeFrom3, linux), { closeAbove2: "byRange", keep: [] });
  assert.deepEqual(childFdWork(closeFrom3, android(33)), { closeAbove2: "byRange", keep: [] });
  assert.deepEqual(childFdWork(closeFrom3, android(29)), { closeAbove2: "byScan", keep: [] });
  assert.equal(childFdWork(closeFrom3, { ...linux, kernel: [5, 4] }).closeAbove2, "byScan");
  assert.deepEqual(childFdWork({ kind: "allow", fds: [4] }, linux), {
    closeAbove2: "byRange",
    keep: [4],
  });
  assert.deepEqual(childFdWork({ kind: "allow", fds: [4] }, android(29)), {
    closeAbove2: "byScan",
    keep: [4],
  });
});
