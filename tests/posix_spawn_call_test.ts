/** The posix_spawn call planned per platform (ffi/posix_spawn/posix_spawn_call.ts): flags and file actions. */
import assert from "node:assert/strict";
import { abiFor } from "../ffi/abi/mod.ts";
import type { Platform } from "../ffi/platform/platform.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
import { posixSpawnCaps } from "../ffi/platform/capabilities.ts";
import {
  planPosixSpawnCall,
  type PosixSpawnCallInput,
} from "../ffi/posix_spawn/posix_spawn_call.ts";

const android = (api: number, arch: "aarch64" | "x86_64" = "aarch64") =>
  pretendAndroid(api, { arch });
const glibc = (version: string) => pretendGlibc(version);

const allSymbols = () => true;

function call(platform: Platform, over: Partial<PosixSpawnCallInput> = {}) {
  return planPosixSpawnCall({
    abi: abiFor(platform.libc, platform.arch),
    caps: posixSpawnCaps(platform, allSymbols),
    child: [10, 11, 12],
    devNull: 30,
    pgroup: "none",
    fdPolicy: { kind: "cloexecOnly" },
    cwd: null,
    openFds: null,
    keepCopies: new Map(),
    ...over,
  });
}

Deno.test("bionic API 29: USEVFORK set, RESETIDS never, signals reset, stdio dup2'd", () => {
  const c = call(android(29), { pgroup: "leader" });
  assert.deepEqual(c.flagNames, ["SETSIGMASK", "SETSIGDEF", "SETPGROUP", "USEVFORK"]);
  assert.equal(c.flags, 8 | 4 | 2 | 64);
  assert.equal(c.flags & 1, 0, "RESETIDS would call setgroups: SIGSYS on Android");
  assert.equal(c.pgroup, 0);
  assert.deepEqual(c.actions, [
    { op: "dup2", fd: 10, newfd: 0 },
    { op: "dup2", fd: 11, newfd: 1 },
    { op: "dup2", fd: 12, newfd: 2 },
  ]);
});

Deno.test("glibc: no USEVFORK (a no-op there), SETSID for isolated", () => {
  const c = call(glibc("2.36"), { pgroup: "isolated" });
  assert.deepEqual(c.flagNames, ["SETSIGMASK", "SETSIGDEF", "SETSID"]);
  assert.equal(c.pgroup, null);
});

Deno.test("closeFrom3: one closefrom on glibc 2.34+, a close per inheritable fd on bionic", () => {
  const openFds = [
    { fd: 0, cloexec: false },
    { fd: 5, cloexec: false },
    { fd: 6, cloexec: true },
    { fd: 9, cloexec: false },
  ];
  const fdPolicy = { kind: "closeFrom3" } as const;
  const onGlibc = call(glibc("2.36"), { fdPolicy, openFds });
  assert.deepEqual(onGlibc.actions.at(-1), { op: "closefrom", fd: 3 });
  const onBionic = call(android(33), { fdPolicy, openFds });
  assert.deepEqual(onBionic.actions.slice(3), [{ op: "close", fd: 5 }, { op: "close", fd: 9 }]);
});

Deno.test("allowlist on bionic 29: kept fds come back through a dup2 from a cloexec copy", () => {
  const c = call(android(29), {
    fdPolicy: { kind: "allow", fds: [5, 7] },
    openFds: [{ fd: 5, cloexec: true }, { fd: 7, cloexec: false }, { fd: 8, cloexec: false }],
    keepCopies: new Map([[5, 20]]),
  });
  assert.deepEqual(c.actions.slice(3), [{ op: "dup2", fd: 20, newfd: 5 }, { op: "close", fd: 8 }]);
});

Deno.test("null stdio dup2s the shared /dev/null fd; cwd becomes addchdir", () => {
  const cwd = new TextEncoder().encode("/data/local/tmp");
  const c = call(android(34), { child: ["null", "inherit", "null"], cwd });
  assert.deepEqual(c.actions, [
    { op: "dup2", fd: 30, newfd: 0 },
    { op: "dup2", fd: 30, newfd: 2 },
    { op: "chdir", path: cwd },
  ]);
});

Deno.test("pty: after the stdio dup2s, the slave is reopened (no O_NOCTTY) in the new session", () => {
  const slave = new TextEncoder().encode("/dev/pts/4");
  const c = call(android(28), { child: [40, 41, 42], pgroup: "isolated", controllingTty: slave });
  assert.ok(c.flagNames.includes("SETSID"), "setsid runs before the file actions");
  assert.deepEqual(c.actions.at(-1), { op: "open", fd: 0, path: slave, flags: 2 });
  assert.deepEqual(c.actions.slice(0, 3).map((a) => a.op), ["dup2", "dup2", "dup2"]);
});
