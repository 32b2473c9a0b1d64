/**
 * `confine`: the seccomp filter builder run through a small BPF interpreter (each rule, each
 * arch, no spawning), then real children on this kernel: a denied `socket(AF_INET)` while
 * AF_UNIX works, the kill action ending the child with SIGSYS, Landlock read and read-write
 * paths, no_new_privs, and bad rules refused before anything starts. qemu-user cannot install
 * seccomp filters, so the spawning cases say so and are skipped there.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { CoreError, runSync, spawn, type SpawnOptions } from "../mod.ts";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { LINUX_AARCH64 } from "../ffi/abi/linux_aarch64.ts";
import { LINUX_X86_64 } from "../ffi/abi/linux_x86_64.ts";
import { SYSCALLS_AARCH64 } from "../ffi/abi/syscalls_aarch64.ts";
import { SYSCALLS_X86_64 } from "../ffi/abi/syscalls_x86_64.ts";
import { landlockAbi } from "../ffi/confine/landlock.ts";
import {
  buildSeccompFilter,
  NETWORK_DOORS,
  type SeccompRules,
} from "../ffi/confine/seccomp_filter.ts";
import { hostPlatform } from "../ffi/platform/platform.ts";
import { assertCoreError, EMULATED_VFORK, spawnTest, text } from "./_harness.ts";
import { probePath } from "./fixtures/build.ts";

const { seccomp, bpf, errno, addressFamilies } = LINUX_COMMON;
const ARCHES = {
  x86_64: { audit: LINUX_X86_64.auditArch, table: SYSCALLS_X86_64 },
  aarch64: { audit: LINUX_AARCH64.auditArch, table: SYSCALLS_AARCH64 },
} as const;

/** Runs a filter on one syscall as the kernel would: its return value. */
function evaluate(filter: Uint8Array, data: { arch: number; nr: number; arg0?: number }): number {
  const view = new DataView(filter.buffer, filter.byteOffset, filter.byteLength);
  const word = (offset: number) =>
    offset === seccomp.dataNrOffset
      ? data.nr
      : offset === seccomp.dataArchOffset
      ? data.arch
      : offset === seccomp.dataArgsOffset
      ? data.arg0 ?? 0
      : assert.fail(`load from ${offset}`);
  let a = 0;
  for (let pc = 0; pc < filter.length / 8; pc++) {
    const op = view.getUint16(pc * 8, true);
    const jt = view.getUint8(pc * 8 + 2);
    const jf = view.getUint8(pc * 8 + 3);
    const k = view.getUint32(pc * 8 + 4, true);
    if (op === bpf.LD_W_ABS) a = word(k);
    else if (op === bpf.RET_K) return k;
    else if (op === bpf.JMP_JEQ_K) pc += a === k ? jt : jf;
    else if (op === bpf.JMP_JGE_K) pc += a >= k ? jt : jf;
    else assert.fail(`unknown opcode ${op}`);
  }
  return assert.fail("the filter fell off its end");
}

const EPERM = seccomp.SECCOMP_RET_ERRNO | errno.EPERM;
const KILL = seccomp.SECCOMP_RET_KILL_PROCESS;
const ALLOW = seccomp.SECCOMP_RET_ALLOW;

for (const [arch, { audit, table }] of Object.entries(ARCHES)) {
  const name = arch as keyof typeof ARCHES;
  const call = (filter: Uint8Array, syscall: string, arg0?: number) =>
    evaluate(filter, { arch: audit, nr: table[syscall], arg0 });

  Deno.test(`seccomp filter ${arch}: deny list, allow list, socket families, foreign arch`, () => {
    const deny: SeccompRules = {
      mode: "deny",
      syscalls: ["ptrace", "mount"],
      action: errno.EPERM,
      socketFamilies: null,
    };
    const d = buildSeccompFilter(deny, name);
    assert.equal(call(d, "ptrace"), EPERM);
    assert.equal(call(d, "mount"), EPERM);
    assert.equal(call(d, "read"), ALLOW);
    assert.equal(call(d, "execve"), ALLOW);
    assert.equal(evaluate(d, { arch: 0x40000003, nr: table.read }), KILL, "a foreign arch");

    const allow: SeccompRules = {
      mode: "allow",
      syscalls: ["read", "write"],
      action: "kill",
      socketFamilies: null,
    };
    const a = buildSeccompFilter(allow, name);
    assert.equal(call(a, "read"), ALLOW);
    assert.equal(call(a, "openat"), KILL);
    assert.equal(call(a, "execve"), ALLOW, "exec is always allowed");
    assert.equal(call(a, "exit_group"), ALLOW);

    const net: SeccompRules = {
      mode: "deny",
      syscalls: [],
      action: errno.EACCES,
      socketFamilies: ["unix"],
    };
    const n = buildSeccompFilter(net, name);
    assert.equal(call(n, "socket", addressFamilies.AF_UNIX), ALLOW);
    assert.equal(
      call(n, "socket", addressFamilies.AF_INET),
      seccomp.SECCOMP_RET_ERRNO | errno.EACCES,
    );
    assert.equal(
      call(n, "socket", addressFamilies.AF_INET6),
      seccomp.SECCOMP_RET_ERRNO | errno.EACCES,
    );
    assert.equal(call(n, "connect"), ALLOW);
    assert.equal(call(n, "socketpair", addressFamilies.AF_UNIX), ALLOW);
    assert.equal(
      call(n, "socketpair", addressFamilies.AF_INET),
      seccomp.SECCOMP_RET_ERRNO | errno.EACCES,
    );
  });

  Deno.test(`seccomp filter ${arch}: every other door to a socket shuts while sockets are restricted`, () => {
    const restricted: SeccompRules[] = [
      { mode: "deny", syscalls: [], action: errno.EPERM, socketFamilies: ["unix"] },
      { mode: "deny", syscalls: ["socket"], action: errno.EPERM, socketFamilies: null },
      { mode: "allow", syscalls: ["read", "openat"], action: errno.EPERM, socketFamilies: null },
    ];
    for (const rules of restricted) {
      const f = buildSeccompFilter(rules, name);
      for (const door of NETWORK_DOORS) {
        assert.equal(call(f, door), EPERM, `${door} with ${JSON.stringify(rules)}`);
      }
    }
    const open: SeccompRules[] = [
      { mode: "deny", syscalls: ["mount"], action: errno.EPERM, socketFamilies: null },
      {
        mode: "allow",
        syscalls: ["socket", "io_uring_setup"],
        action: errno.EPERM,
        socketFamilies: null,
      },
    ];
    for (const rules of open) {
      assert.equal(call(buildSeccompFilter(rules, name), "io_uring_setup"), ALLOW);
    }
  });
}

Deno.test("seccomp filter x86_64 refuses the x32 ABI", () => {
  const f = buildSeccompFilter({
    mode: "deny",
    syscalls: [],
    action: errno.EPERM,
    socketFamilies: null,
  }, "x86_64");
  const x32 = 0x40000000 | SYSCALLS_X86_64.read;
  assert.equal(evaluate(f, { arch: LINUX_X86_64.auditArch, nr: x32 }), EPERM);
});

Deno.test("confine: bad rules are typed errors before anything starts", () => {
  const bad: SpawnOptions["confine"][] = [
    { seccomp: { deny: ["no_such_syscall"] } },
    { seccomp: { deny: ["execve"] } },
    { seccomp: { deny: ["read"], allow: ["write"] } },
    { seccomp: { socket: ["carrier-pigeon" as "unix"] } },
    { seccomp: { deny: ["read"], action: "ENOPE" } },
    { seccomp: { allow: ["read", "io_uring_setup"] } },
    { seccomp: { allow: ["socket", "io_uring_enter"], socket: ["unix"] } },
    { landlock: { read: ["relative/path"] } },
    { landlock: { read: ["/usr"], write: ["/usr/"] } },
    { landlock: { read: ["/usr"], extra: true } as unknown as { read: string[] } },
  ];
  for (const confine of bad) {
    assertCoreError(() => runSync({ program: "true", confine }), "InvalidArgument");
  }
  assertCoreError(
    () => runSync({ program: "true", backend: "posixSpawn", confine: { noNewPrivs: true } }),
    "UnsupportedOption",
  );
});

const probe = probePath();
const skip = EMULATED_VFORK && "qemu-user cannot install seccomp filters or Landlock rulesets";
const confined = (confine: SpawnOptions["confine"], ...args: string[]) =>
  runSync({ program: probe, args, confine });

/** What an io_uring IORING_OP_SOCKET gives an unconfined child here: "ok" where the kernel can. */
const uringHere = skip ? "" : text(runSync({ program: probe, args: ["uring_socket", "2"] }).stdout);
const uringSkip = skip ||
  (uringHere !== "ok\n" &&
    `no io_uring IORING_OP_SOCKET on this kernel (errno ${uringHere.trim()})`);

spawnTest("confine: no network means no socket through an io_uring either", () => {
  const inet = String(addressFamilies.AF_INET);
  for (const seccompRules of [{ socket: ["unix" as const] }, { deny: ["socket"] }]) {
    for (const backend of ["vfork", "fork"] as const) {
      const out = runSync({
        program: probe,
        args: ["uring_socket", inet],
        backend,
        confine: { seccomp: seccompRules },
      });
      assert.equal(
        text(out.stdout),
        `${errno.EPERM}\n`,
        `${backend} ${JSON.stringify(seccompRules)}`,
      );
    }
  }
  const plain = runSync({
    program: probe,
    args: ["uring_socket", inet],
    confine: { seccomp: { deny: ["mount"] } },
  });
  assert.equal(
    text(plain.stdout),
    "ok\n",
    "without a socket rule the ring works: the test can fail",
  );
}, uringSkip);

spawnTest("confine: no network but AF_UNIX; the kill action ends the child with SIGSYS", () => {
  const unixOnly = { seccomp: { socket: ["unix" as const] } };
  assert.equal(
    text(confined(unixOnly, "socket", String(addressFamilies.AF_INET)).stdout),
    `${errno.EPERM}\n`,
  );
  assert.equal(text(confined(unixOnly, "socket", String(addressFamilies.AF_UNIX)).stdout), "ok\n");
  const killed = confined({ seccomp: { deny: ["socket"], action: "kill" } }, "socket", "1");
  assert.equal(killed.status.kind === "signaled" && killed.status.signalName, "SIGSYS");
}, skip);

spawnTest("confine: no_new_privs shows as 1 in the child, on every entry point", async () => {
  const options: SpawnOptions = {
    program: "grep",
    args: ["NoNewPrivs", "/proc/self/status"],
    confine: { noNewPrivs: true },
  };
  assert.match(text(runSync(options).stdout), /NoNewPrivs:\s+1/);
  assert.match(text((await spawn(options).output()).stdout), /NoNewPrivs:\s+1/);
  assert.match(text(runSync({ ...options, confine: undefined }).stdout), /NoNewPrivs:\s+0/);
}, skip);

spawnTest("confine: Landlock lets the child read and write only what the rules say", () => {
  const abi = landlockAbi(hostPlatform());
  const dir = Deno.makeTempDirSync({ prefix: "coreshift-landlock-" });
  try {
    const ro = join(dir, "ro");
    const rw = join(dir, "rw");
    const other = join(dir, "other");
    for (const d of [ro, rw, other]) {
      Deno.mkdirSync(d);
      Deno.writeTextFileSync(join(d, "f"), "x");
    }
    const landlock = {
      read: ["/usr", "/lib", "/lib64", "/etc", dirname(probe), ro].filter(exists),
      write: [rw],
    };
    const run = (...args: string[]) => confined({ landlock, bestEffort: true }, ...args);
    const first = run("read", join(ro, "f"));
    if (abi === null) {
      assert.deepEqual(first.notApplied, ["landlock"], "bestEffort says what it skipped");
      return;
    }
    assert.equal(first.notApplied, undefined);
    assert.equal(text(first.stdout), "ok\n");
    assert.equal(text(run("read", join(other, "f")).stdout), `${errno.EACCES}\n`);
    assert.equal(text(run("write", join(ro, "new")).stdout), `${errno.EACCES}\n`, "read-only");
    assert.equal(text(run("write", join(rw, "new")).stdout), "ok\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}, skip);

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("confine: a kernel without Landlock is a typed error unless bestEffort", () => {
  if (landlockAbi(hostPlatform()) !== null) {
    // This kernel has it: the rule set is built and applied (the test above checks the effect).
    assert.ok(landlockAbi(hostPlatform())! >= 1);
    return;
  }
  const error = assertCoreError(
    () => runSync({ program: "true", confine: { landlock: { read: ["/usr"] } } }),
    "UnsupportedPlatform",
  );
  assert.ok(error instanceof CoreError);
});

Deno.test("confine: an allow list the dynamic loader cannot run under is refused, naming what it lacks", () => {
  const e = assertCoreError(
    () =>
      runSync({ program: probe, confine: { seccomp: { allow: ["read", "write", "exit_group"] } } }),
    "InvalidArgument",
  );
  assert.match(e.message, /dynamically linked/);
  assert.match(e.message, /mmap, mprotect, openat, close/);
});

Deno.test("confine: a NUL in a Landlock path is named as a NUL", () => {
  const e = assertCoreError(
    () => runSync({ program: "true", confine: { landlock: { read: ["/usr", "/et\0c"] } } }),
    "InvalidArgument",
  );
  assert.match(e.message, /confine\.landlock\.read\[1\] contains a NUL byte/);
});

spawnTest("confine: an exec Landlock refuses names Landlock in its hint", () => {
  for (const backend of ["vfork", "fork"] as const) {
    const e = assertCoreError(
      () => runSync({ program: probe, backend, confine: { landlock: {} } }),
      "EACCES",
      "child execve",
    );
    assert.match(e.message, /confine\.landlock hides it/);
  }
}, skip || (landlockAbi(hostPlatform()) === null && "this kernel has no Landlock"));
