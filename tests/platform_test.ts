import assert from "node:assert/strict";
import { syscallAllowed } from "../android/mod.ts";
import { SYSCALL_GATES } from "../ffi/platform/syscall_gate.ts";
import { ABI_TABLES, abiFor } from "../ffi/abi/mod.ts";
import { parseKernelRelease, type Platform, versionAtLeast } from "../ffi/platform/platform.ts";
import { pretendAndroid, pretendGlibc } from "./_platforms.ts";
import { posixSpawnCaps, type SpawnSymbol } from "../ffi/platform/capabilities.ts";
import {
  planPosixSpawnCall,
  type PosixSpawnCallInput,
} from "../ffi/posix_spawn/posix_spawn_call.ts";
import { decodeWaitStatus, shellExitCode } from "../ffi/os/exit_status.ts";
import { openPidfd } from "../ffi/platform/process_control.ts";
import { closeFd } from "../ffi/os/fds.ts";
import { childFdWork } from "../ffi/native/helper_spawn.ts";
import { libc } from "../ffi/os/libc.ts";

libc(); // opened once for the whole file, not inside a test's resource sanitizer

const android = (api: number, arch: "aarch64" | "x86_64" = "aarch64") =>
  pretendAndroid(api, { arch });
const glibc = (version: string) => pretendGlibc(version);
const allSymbols = () => true;
const symbolsUpTo = (present: SpawnSymbol[]) => (s: SpawnSymbol) => present.includes(s);

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

Deno.test("syscall gates: what each Android API level may call", () => {
  const expected: Record<number, string[]> = {
    // setresgid and setgroups: allowed to apps until API 27, refused from 28.
    26: ["setresgid", "setgroups"],
    29: [],
    30: ["pidfd_open"],
    31: ["pidfd_open", "pidfd_send_signal", "pidfd_getfd"],
    33: ["pidfd_open", "pidfd_send_signal", "pidfd_getfd", "close_range"],
    // Landlock: no release's app filter allows it.
    35: Object.keys(SYSCALL_GATES).filter((s) =>
      !s.startsWith("landlock") && s !== "setresgid" && s !== "setgroups"
    ),
  };
  for (const [api, allowed] of Object.entries(expected)) {
    const platform = { ...android(Number(api)), kernel: [6, 6] as const };
    const got = Object.keys(SYSCALL_GATES).filter((s) =>
      syscallAllowed(s as keyof typeof SYSCALL_GATES, platform)
    );
    assert.deepEqual(got.sort(), [...allowed].sort(), `API ${api}`);
  }
});

Deno.test("syscall gates: an old kernel closes the gate even on a new API level", () => {
  assert.equal(syscallAllowed("pidfd_open", { ...android(35), kernel: [5, 2] }), false);
  assert.equal(syscallAllowed("close_range", { ...glibc("2.36"), kernel: [5, 8] }), false);
  assert.equal(syscallAllowed("close_range", glibc("2.36")), true);
  assert.equal(
    syscallAllowed("pidfd_open", { ...android(35), androidApi: null, os: "android" }),
    false,
  );
});

Deno.test("posix_spawn capabilities per bionic API level", () => {
  assert.equal(posixSpawnCaps(android(27), allSymbols).available, false);
  const api29 = posixSpawnCaps(android(29), allSymbols);
  assert.deepEqual(api29, {
    available: true,
    addchdir: false,
    addclosefrom: false,
    setsid: true,
    wantsUseVfork: true,
  });
  assert.equal(posixSpawnCaps(android(34), allSymbols).addchdir, true);
  assert.equal(posixSpawnCaps(android(34), symbolsUpTo(["posix_spawn"])).addchdir, false);
  assert.equal(
    posixSpawnCaps(android(35), allSymbols).addclosefrom,
    false,
    "bionic has no closefrom",
  );
});

Deno.test("posix_spawn capabilities per glibc version", () => {
  assert.equal(posixSpawnCaps(glibc("2.25"), allSymbols).setsid, false);
  assert.equal(posixSpawnCaps(glibc("2.26"), allSymbols).setsid, true);
  const old = posixSpawnCaps(glibc("2.28"), symbolsUpTo(["posix_spawn"]));
  assert.equal(old.addchdir, false);
  assert.equal(old.addclosefrom, false);
  assert.equal(old.wantsUseVfork, false);
});

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

Deno.test("ABI tables: the facts DESIGN.md lists", () => {
  assert.equal(ABI_TABLES["glibc-x86_64"].sizes.posixSpawnattr, 336);
  assert.equal(ABI_TABLES["glibc-x86_64"].sizes.posixSpawnFileActions, 80);
  assert.equal(ABI_TABLES["glibc-aarch64"].sizes.sigset, 128);
  for (const key of ["bionic-aarch64", "bionic-x86_64"] as const) {
    assert.deepEqual(ABI_TABLES[key].sizes, {
      sigset: 8,
      posixSpawnattr: 8,
      posixSpawnFileActions: 8,
    });
    assert.equal(ABI_TABLES[key].errnoSymbol, "__errno");
    assert.equal(ABI_TABLES[key].spawnFlags.SETSID, 128);
    assert.equal(ABI_TABLES[key].spawnFlags.USEVFORK, 64);
  }
  assert.equal(ABI_TABLES["bionic-x86_64"].kernel.epollEvent.size, 12, "packed on x86_64");
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.epollEvent.size, 16);
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.open.O_CLOEXEC, 0x80000);
  assert.equal(ABI_TABLES["bionic-x86_64"].kernel.open.O_NONBLOCK, 0x800);
  assert.equal(ABI_TABLES["bionic-aarch64"].kernel.rusage.maxrssOffset, 32);
});

Deno.test("wait status decoding and shell exit codes", () => {
  assert.deepEqual(decodeWaitStatus(0x0300), { kind: "exited", code: 3 });
  assert.deepEqual(decodeWaitStatus(9), {
    kind: "signaled",
    signal: 9,
    signalName: "SIGKILL",
    coreDumped: false,
  });
  assert.deepEqual(decodeWaitStatus(0x86), {
    kind: "signaled",
    signal: 6,
    signalName: "SIGABRT",
    coreDumped: true,
  });
  assert.equal(shellExitCode(decodeWaitStatus(0x0300)), 3);
  assert.equal(shellExitCode(decodeWaitStatus(15)), 143);
});

Deno.test("kernel release and version parsing", () => {
  assert.deepEqual(parseKernelRelease("6.1.0-18-amd64"), [6, 1]);
  assert.deepEqual(parseKernelRelease("4.14.186-perf+"), [4, 14]);
  assert.deepEqual(parseKernelRelease("weird"), [0, 0]);
  assert.equal(versionAtLeast("2.36", "2.29"), true);
  assert.equal(versionAtLeast("2.3", "2.29"), false);
  assert.equal(versionAtLeast("2.29", "2.29"), true);
  assert.equal(versionAtLeast("3.0", "2.29"), true);
});

Deno.test("gated calls per API level: pidfd_open made from API 30, close_range from 33", () => {
  for (const api of [26, 29, 30, 31, 33, 35]) {
    const platform = {
      ...android(api, Deno.build.arch as "x86_64" | "aarch64"),
      kernel: [6, 6] as const,
    };
    // The real call, on this host's kernel: a pidfd comes back only where the gate opens.
    const fd = openPidfd(Deno.pid, platform);
    assert.equal(fd >= 0, api >= 30, `API ${api}: pidfd_open ${fd >= 0 ? "made" : "not made"}`);
    if (fd >= 0) closeFd(fd);
    const work = childFdWork({ kind: "closeFrom3" }, platform);
    assert.equal(work.closeAbove2, api >= 33 ? "byRange" : "byScan", `API ${api}: fds closed`);
  }
});

Deno.test("every gated syscall in the code sits behind its gate", () => {
  const root = new URL("../", import.meta.url);
  const files: string[] = [];
  const walk = (dir: URL) => {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory && !entry.name.startsWith(".")) walk(new URL(`${entry.name}/`, dir));
      else if (entry.name.endsWith(".ts")) files.push(new URL(entry.name, dir).pathname);
    }
  };
  for (const dir of ["ffi/", "android/", "cli/"]) walk(new URL(dir, root));
  let uses = 0;
  for (const file of files) {
    if (file.includes("/abi/")) continue; // the tables themselves
    const source = Deno.readTextFileSync(file);
    for (const name of Object.keys(SYSCALL_GATES)) {
      if (!source.includes(`kernel.syscalls.${name}`)) continue;
      uses++;
      assert.ok(source.includes(`syscallAllowed("${name}"`), `${file} calls ${name} ungated`);
    }
    if (source.includes(`"closeAbove2"`)) {
      uses++;
      assert.ok(source.includes(`syscallAllowed("close_range"`), `${file}: close_range ungated`);
    }
  }
  assert.ok(uses >= 2, "the scan found the known gated calls");
});
