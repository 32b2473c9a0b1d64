import assert from "node:assert/strict";
import { join } from "node:path";
import { CoreError } from "../mod.ts";
import { fdFlags } from "../ffi/fds.ts";
import { cacheDir, writeAtomic } from "../ffi/native/cache.ts";
import { buildFromSource, openVerified } from "../ffi/native/loader.ts";
import { PREBUILT_SHA256 } from "../ffi/native/prebuilt/hashes.ts";
import { hostPlatform } from "../ffi/platform.ts";
import { childFdWork, helperSpawn } from "../ffi/spawn/helper_spawn.ts";
import { planSpawn } from "../ffi/spawn/plan.ts";
import { hostPosixSpawnCaps } from "../ffi/spawn/capabilities.ts";
import { validateOptions } from "../ffi/spawn/validate.ts";
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

Deno.test("childFdWork: close_range only where the syscall gate allows it", () => {
  const scan =
    () => [{ fd: 0, cloexec: false }, { fd: 4, cloexec: false }, { fd: 5, cloexec: true }];
  const linux = pretendGlibc();
  const android = (api: number) => pretendAndroid(api, { kernel: [6, 1] });
  const closeFrom3 = { kind: "closeFrom3" } as const;
  assert.deepEqual(childFdWork(closeFrom3, linux, scan), { closeRange: true, close: [], keep: [] });
  assert.deepEqual(childFdWork(closeFrom3, android(33), scan), {
    closeRange: true,
    close: [],
    keep: [],
  });
  assert.deepEqual(childFdWork(closeFrom3, android(29), scan), {
    closeRange: false,
    close: [4],
    keep: [],
  });
  assert.deepEqual(childFdWork(closeFrom3, { ...linux, kernel: [5, 4] }, scan).closeRange, false);
  assert.deepEqual(childFdWork({ kind: "allow", fds: [4] }, linux, scan), {
    closeRange: false,
    close: [],
    keep: [4],
  });
});

Deno.test("loader: a tampered helper is refused before dlopen", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const original = new URL(
      `../ffi/native/prebuilt/linux-${Deno.build.arch}/libcoreshift_helper.so`,
      import.meta.url,
    );
    const bytes = Deno.readFileSync(original);
    bytes[bytes.length - 1] ^= 0xff;
    const copy = join(dir, "libcoreshift_helper.so");
    Deno.writeFileSync(copy, bytes);
    const err = assertCoreError(
      () => openVerified(copy, PREBUILT_SHA256[Deno.build.arch]),
      "NativeHelperUnavailable",
    );
    assert.match(err.message, /SHA-256.*refusing/);
    const missing = assertCoreError(
      () => openVerified(join(dir, "nope.so"), "00"),
      "NativeHelperUnavailable",
    );
    assert.match(missing.message, /prepareNativeHelper|CORESHIFT_NATIVE/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loader: the prebuilt hash table matches SHA256SUMS", () => {
  const sums = Deno.readTextFileSync(new URL("../ffi/native/prebuilt/SHA256SUMS", import.meta.url));
  for (const [arch, hash] of Object.entries(PREBUILT_SHA256)) {
    assert.ok(sums.includes(`${hash}  linux-${arch}/libcoreshift_helper.so`), arch);
  }
});

Deno.test("loader: without a compiler the documented error names the fixes", () => {
  const err = assertCoreError(
    () => buildFromSource("riscv64", "coreshift-no-such-cc"),
    "NativeHelperUnavailable",
  );
  assert.match(err.message, /no prebuilt helper for riscv64/);
  assert.match(err.message, /pkg install clang/);
  assert.match(err.message, /CORESHIFT_NATIVE/);
});

Deno.test("cache: writes are atomic (temp file + rename) and leave no temp file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const target = join(dir, "sub", "file.so");
    writeAtomic(target, new Uint8Array([1, 2, 3]));
    const first = Deno.statSync(target);
    writeAtomic(target, new Uint8Array([4, 5, 6, 7]));
    const second = Deno.statSync(target);
    assert.deepEqual(Deno.readFileSync(target), new Uint8Array([4, 5, 6, 7]));
    assert.notEqual(first.ino, second.ino, "replaced by rename, never rewritten in place");
    assert.deepEqual([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["file.so"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("cache dir: CORESHIFT_CACHE, then XDG, then HOME (Termux-aware)", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(cacheDir(env({ CORESHIFT_CACHE: "/x", HOME: "/h" })), "/x");
  assert.equal(cacheDir(env({ XDG_CACHE_HOME: "/xdg", HOME: "/h" })), "/xdg/coreshift");
  const termuxHome = "/data/data/com.termux/files/home";
  assert.equal(cacheDir(env({ HOME: termuxHome })), `${termuxHome}/.cache/coreshift`);
});

Deno.test("a CoreError from the child names the step and errno", () => {
  const err = new CoreError("ENOENT", "child chdir", "x", { errno: 2 });
  assert.equal(err.op, "child chdir");
  assert.equal(err.errno, 2);
});
