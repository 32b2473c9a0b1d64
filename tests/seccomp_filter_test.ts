/**
 * The seccomp filter builder run through a small BPF interpreter, as the kernel would run it:
 * each rule, each arch, every door to a socket, the x32 ABI; no child is spawned.
 * @module
 */
import assert from "node:assert/strict";
import { LINUX_COMMON } from "../ffi/abi/linux_common.ts";
import { LINUX_AARCH64 } from "../ffi/abi/linux_aarch64.ts";
import { LINUX_X86_64 } from "../ffi/abi/linux_x86_64.ts";
import { SYSCALLS_AARCH64 } from "../ffi/abi/syscalls_aarch64.ts";
import { SYSCALLS_X86_64 } from "../ffi/abi/syscalls_x86_64.ts";
import {
  buildSeccompFilter,
  NETWORK_DOORS,
  type SeccompRules,
} from "../ffi/confine/seccomp_filter.ts";

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
