/**
 * Option validation (options/validate.ts and its per-group files) seen from every entry point:
 * bad input is a typed CoreError naming the option and the fix, and nothing starts.
 * @module
 */
import assert from "node:assert/strict";
import {
  CoreError,
  ProcessRegistry,
  type RegistryOptions,
  runSync,
  spawn,
  type SpawnOptions,
} from "../mod.ts";
import { posixSpawnCaps } from "../ffi/platform/capabilities.ts";
import { planSpawn } from "../ffi/plan/plan.ts";
import { validateOptions } from "../ffi/options/validate.ts";
import { BACKENDS, runWith } from "./_backends.ts";
import { pretendAndroid } from "./_platforms.ts";
import { assertCoreError, EMULATED_VFORK, spawnTest, text } from "./_harness.ts";

const NUL = "a\0b";
const dir = Deno.makeTempDirSync({ prefix: "coreshift-bad-" });
const plainFile = `${dir}/plain.txt`;
Deno.writeTextFileSync(plainFile, "not a program\n");
const garbageExe = `${dir}/garbage`;
Deno.writeFileSync(garbageExe, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]), {
  mode: 0o755,
});

/**
 * [what, options, expected code, part of the failing op]. Where the op is a pair, the first is
 * posix_spawn's (checked in the parent) and the second the helper's (reported by the child).
 */
type Case = [string, SpawnOptions, string, string | [string, string]];
const CASES: Case[] = [
  ["NUL in program", { program: NUL }, "InvalidArgument", "program"],
  ["NUL in an argument", { program: "true", args: ["ok", NUL] }, "InvalidArgument", "args[1]"],
  ["NUL in an env value", { program: "true", env: { A: NUL } }, "InvalidArgument", "env.A"],
  ["NUL in an env name", { program: "true", env: { [NUL]: "x" } }, "InvalidArgument", "env"],
  ["NUL in cwd", { program: "true", cwd: NUL }, "InvalidArgument", "cwd"],
  ["= in an env name", { program: "true", env: { "A=B": "x" } }, "InvalidArgument", "env"],
  ["empty env name", { program: "true", env: { "": "x" } }, "InvalidArgument", "env"],
  ["empty program", { program: "" }, "InvalidArgument", "program"],
  ["program of the wrong type", { program: 42 as unknown as string }, "InvalidArgument", "program"],
  ["args not an array", { program: "true", args: "x" as unknown as [] }, "InvalidArgument", "args"],
  [
    "misspelt option",
    { program: "true", timeout: 5 } as SpawnOptions,
    "InvalidArgument",
    "options",
  ],
  ["negative timeout", { program: "true", timeoutMs: -1 }, "InvalidArgument", "timeoutMs"],
  ["NaN timeout", { program: "true", timeoutMs: NaN }, "InvalidArgument", "timeoutMs"],
  ["negative maxOutput", { program: "true", maxOutput: -1 }, "InvalidArgument", "maxOutput"],
  ["fractional maxOutput", { program: "true", maxOutput: 1.5 }, "InvalidArgument", "maxOutput"],
  ["negative kill grace", { program: "true", killGraceMs: -5 }, "InvalidArgument", "killGraceMs"],
  [
    "unknown stdout mode",
    { program: "true", stdout: "pipe" as "capture" },
    "InvalidArgument",
    "stdout",
  ],
  ["text as stdin", { program: "true", stdin: "hi" as "null" }, "InvalidArgument", "stdin"],
  ["unknown pgroup", { program: "true", pgroup: "new" as "leader" }, "InvalidArgument", "pgroup"],
  [
    "unknown cancel policy",
    { program: "true", cancel: "term" as "kill" },
    "InvalidArgument",
    "cancel",
  ],
  [
    "unknown fd policy",
    { program: "true", fdPolicy: "all" as "closeFrom3" },
    "InvalidArgument",
    "fdPolicy",
  ],
  [
    "negative allowlisted fd",
    { program: "true", fdPolicy: { allow: [-3] } },
    "InvalidArgument",
    "fdPolicy",
  ],
  [
    "earlyExit not a function",
    { program: "true", earlyExit: 1 as unknown as () => boolean },
    "InvalidArgument",
    "earlyExit",
  ],
  [
    "unknown afterEarlyExit",
    { program: "true", afterEarlyExit: "stop" as "kill" },
    "InvalidArgument",
    "afterEarlyExit",
  ],
  [
    "clearEnv not a boolean",
    { program: "true", clearEnv: "yes" as unknown as boolean },
    "InvalidArgument",
    "clearEnv",
  ],
  [
    "unknown rlimit",
    { program: "true", rlimits: { files: { soft: 1, hard: 1 } } as SpawnOptions["rlimits"] },
    "InvalidArgument",
    "rlimits",
  ],
  [
    "soft rlimit above hard",
    { program: "true", rlimits: { nofile: { soft: 9, hard: 8 } } },
    "InvalidArgument",
    "rlimits",
  ],
  [
    "negative rlimit",
    { program: "true", rlimits: { core: { soft: -1, hard: 0 } } },
    "InvalidArgument",
    "rlimits",
  ],
  [
    "missing program in PATH",
    { program: "coreshift-no-such-program" },
    "ENOENT",
    "resolve program",
  ],
  ["missing absolute program", { program: `${dir}/nope` }, "ENOENT", [
    "resolve program",
    "child execve",
  ]],
  ["directory as program", { program: dir }, "EACCES", ["resolve program", "child execve"]],
  ["non-executable file", { program: plainFile }, "EACCES", ["resolve program", "child execve"]],
  ["executable that is no binary", { program: garbageExe }, "ENOEXEC", [
    "posix_spawn",
    "child execve",
  ]],
  ["missing cwd", { program: "true", cwd: `${dir}/missing` }, "ENOENT", [
    "validate cwd",
    "child chdir",
  ]],
  ["a file as cwd", { program: "true", cwd: plainFile }, "ENOTDIR", [
    "validate cwd",
    "child chdir",
  ]],
];

Deno.test("unknown backend is refused", () => {
  assertCoreError(
    () => runWith("spawnp" as "vfork")({ program: "true" }),
    "InvalidArgument",
    "backend",
  );
});

for (const backend of BACKENDS) {
  const run = runWith(backend);
  for (const [what, options, code, op] of CASES) {
    // glibc's posix_spawn learns of a failed exec through memory it shares with the child.
    const needsSharedVfork = backend === "posixSpawn" && code === "ENOEXEC";
    spawnTest(`[${backend}] bad input refused with ${code}: ${what}`, () => {
      const expectedOp = typeof op === "string" ? op : op[backend === "posixSpawn" ? 0 : 1];
      const err = assertCoreError(() => run(options), code, expectedOp);
      assert.ok(
        err.message.length > err.op.length + 10,
        `message says what to fix: ${err.message}`,
      );
    }, needsSharedVfork && EMULATED_VFORK);
  }
}

spawnTest("[posixSpawn] rlimits are refused: posix_spawn cannot set them", () => {
  const err = assertCoreError(
    () => runWith("posixSpawn")({ program: "true", rlimits: { core: { soft: 0, hard: 0 } } }),
    "UnsupportedOption",
  );
  assert.match(err.message, /fork/);
});

spawnTest(
  "an option this libc cannot do is refused before anything starts (pretend bionic 29)",
  () => {
    const bionic29 = posixSpawnCaps(pretendAndroid(29, { kernel: [4, 14] }), () => true);
    const err = assertCoreError(
      () => planSpawn(validateOptions({ program: "true", cwd: "/" }), "posixSpawn", bionic29),
      "UnsupportedOption",
    );
    assert.match(err.message, /fork/);
    const bionic27 = posixSpawnCaps(pretendAndroid(27, { kernel: [4, 4] }), () => true);
    assertCoreError(
      () => planSpawn(validateOptions({ program: "true" }), "posixSpawn", bionic27),
      "UnsupportedOption",
    );
  },
);

Deno.test("bad-input fixtures are removed", () => {
  Deno.removeSync(dir, { recursive: true });
});

spawnTest(
  "validation holes: fd numbers past an int, a Map for env, registry typos and waits",
  async () => {
    assertCoreError(
      () => runSync({ program: "true", fdPolicy: { allow: [2 ** 31] } }),
      "InvalidArgument",
    );
    assertCoreError(
      () =>
        runSync({
          program: "true",
          env: new Map([["A", "1"]]) as unknown as Record<string, string>,
        }),
      "InvalidArgument",
      "env",
    );
    assertCoreError(
      () => new ProcessRegistry({ capcity: 5 } as unknown as RegistryOptions),
      "InvalidArgument",
    );
    await using registry = new ProcessRegistry();
    const h = registry.spawn({ program: "true" });
    for (const bad of [-1, NaN]) {
      await assert.rejects(
        registry.wait(h, bad),
        (e) => e instanceof CoreError && e.code === "InvalidArgument",
      );
    }
    assert.equal((await registry.wait(h, Infinity)).status, "exited");
  },
);

spawnTest(
  "timeoutMs 0 and Infinity mean no timeout; maxOutput Infinity means no cap, 0 keeps nothing",
  () => {
    for (const timeoutMs of [0, Infinity]) {
      const out = runSync({ program: "sh", args: ["-c", "sleep 0.05; echo done"], timeoutMs });
      assert.equal(out.timedOut, false);
      assert.equal(text(out.stdout), "done\n");
    }
    assertCoreError(() => runSync({ program: "true", timeoutMs: -1 }), "InvalidArgument");
    assertCoreError(() => runSync({ program: "true", timeoutMs: NaN }), "InvalidArgument");
    const big = runSync({
      program: "head",
      args: ["-c", String(3 * 1024 * 1024), "/dev/zero"],
      maxOutput: Infinity,
    });
    assert.equal(big.stdout.length, 3 * 1024 * 1024);
    assert.equal(runSync({ program: "true", maxOutput: 0 }).success, true);
    assertCoreError(
      () => runSync({ program: "echo", args: ["x"], maxOutput: 0 }),
      "OutputOverflow",
    );
  },
);

spawnTest("kill(0) is the liveness check: true while running, false once reaped", async () => {
  const child = spawn({ program: "sleep", args: ["5"] });
  assert.equal(child.kill(0), true);
  child.kill("SIGKILL");
  await child.status;
  assert.equal(child.kill(0), false);
  await child.output();
});

spawnTest(
  "a value no message can print as text (symbol, bigint, cycle) is still a typed error",
  async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const odd: Partial<Record<keyof SpawnOptions, unknown>>[] = [
      { maxOutput: Symbol("cap") },
      { killGraceMs: Symbol("grace") },
      { timeoutMs: 10n },
      { overflow: 10n },
      { pty: 10n },
      { pgroup: cycle },
      { stdout: Symbol("out") },
      { extraFds: { 5: Symbol("fd") } },
    ];
    for (const bad of odd) {
      const options = { program: "true", ...bad } as SpawnOptions;
      const err = assertCoreError(() => runSync(options), "InvalidArgument");
      assert.match(err.message, /Symbol\(|10n|"self"|\[object Object\]/, err.message);
      assertCoreError(() => spawn(options), "InvalidArgument");
    }
    await using child = spawn({ program: "sleep", args: ["5"], pty: { columns: 80, rows: 24 } });
    assertCoreError(() => child.resize(Symbol("w") as unknown as number, 24), "InvalidArgument");
    child.kill("SIGKILL");
    await using registry = new ProcessRegistry();
    const h = registry.spawn({ program: "true" });
    await assert.rejects(
      registry.wait(h, 10n as unknown as number),
      (e) => e instanceof CoreError && e.code === "InvalidArgument",
    );
    await registry.wait(h);
  },
);
