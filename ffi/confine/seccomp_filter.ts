/**
 * A seccomp filter for one child, built here as classic BPF from syscall names: a deny list
 * (these calls get the action, everything else runs) or an allow list (only these run), an
 * action (an errno, or killing the child with SIGSYS), and a rule on `socket()`'s address family
 * ("no network but AF_UNIX" is `socket: ["unix"]`). A foreign audit arch (another ABI smuggled
 * in, e.g. x32 on x86_64, or i386's `socketcall` through `int 0x80`) is always refused, and so,
 * while sockets are restricted, is every other door to one (`NETWORK_DOORS`). The helper installs it last, just before execve,
 * which every filter allows; on Android it stacks on the app filter, which still decides first.
 * @module
 */
import type { ArchName } from "../abi/mod.ts";
import { LINUX_COMMON } from "../abi/linux_common.ts";
import { LINUX_AARCH64 } from "../abi/linux_aarch64.ts";
import { LINUX_X86_64 } from "../abi/linux_x86_64.ts";
import { SYSCALLS_AARCH64 } from "../abi/syscalls_aarch64.ts";
import { SYSCALLS_X86_64 } from "../abi/syscalls_x86_64.ts";
import { invalidArgument } from "../os/errors.ts";

/** Address families a socket rule names. */
export const SOCKET_FAMILIES = {
  unix: LINUX_COMMON.addressFamilies.AF_UNIX,
  inet: LINUX_COMMON.addressFamilies.AF_INET,
  inet6: LINUX_COMMON.addressFamilies.AF_INET6,
  netlink: LINUX_COMMON.addressFamilies.AF_NETLINK,
  packet: LINUX_COMMON.addressFamilies.AF_PACKET,
} as const;

/** A socket family by its short name. */
export type SocketFamily = keyof typeof SOCKET_FAMILIES;

/** A validated filter description. */
export interface SeccompRules {
  /** `"deny"`: the listed calls get `action`; `"allow"`: only the listed calls run. */
  readonly mode: "deny" | "allow";
  readonly syscalls: readonly string[];
  /** An errno number to return, or `"kill"` (SIGSYS). */
  readonly action: number | "kill";
  /** When set, `socket()` runs only for these families; others get `action`. */
  readonly socketFamilies: readonly SocketFamily[] | null;
}

const TABLES: Readonly<Record<ArchName, Readonly<Record<string, number>>>> = {
  x86_64: SYSCALLS_X86_64,
  aarch64: SYSCALLS_AARCH64,
};

const AUDIT_ARCH: Readonly<Record<ArchName, number>> = {
  x86_64: LINUX_X86_64.auditArch,
  aarch64: LINUX_AARCH64.auditArch,
};

/** x86_64's x32 ABI: syscall numbers with this bit set. Never let them through. */
const X32_SYSCALL_BIT = 0x40000000;

/** Calls a filter always allows: the exec it is installed before, and exiting. */
export const ALWAYS_ALLOWED: readonly string[] = ["execve", "exit", "exit_group"];

/**
 * Calls that reach a socket without `socket()`, refused whenever sockets are restricted: an
 * io_uring creates and connects sockets from its submission queue (`IORING_OP_SOCKET`),
 * `pidfd_getfd` copies another process's socket, and `ptrace`/`process_vm_writev` drive a process
 * that has network into opening one. docs/design.md lists each door and how it was checked.
 */
export const NETWORK_DOORS: readonly string[] = [
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "pidfd_getfd",
  "ptrace",
  "process_vm_writev",
];

/** Calls whose first argument is an address family: the socket rule checks both. */
const FAMILY_CALLS: readonly string[] = ["socket", "socketpair"];

/**
 * Whether `rules` keep the child from new sockets of some family: a socket rule, a deny list
 * naming `socket`, or an allow list without it. Then {@linkcode NETWORK_DOORS} are refused too.
 */
export function restrictsSockets(rules: SeccompRules): boolean {
  if (rules.socketFamilies !== null) return true;
  const named = new Set(rules.syscalls).has("socket");
  return rules.mode === "deny" ? named : !named;
}

/** The number of `name` on `arch`, or a typed error naming the unknown call. */
export function syscallNumber(name: string, arch: ArchName): number {
  const nr = TABLES[arch][name];
  if (nr !== undefined) return nr;
  throw invalidArgument(
    "validate confine.seccomp",
    `"${name}" is not a syscall on ${arch}`,
    'use the kernel\'s name, e.g. "openat" (aarch64 has no "open")',
  );
}

/** `struct sock_filter[]` bytes for `rules` on `arch`: 8 bytes an instruction. */
export function buildSeccompFilter(rules: SeccompRules, arch: ArchName): Uint8Array {
  const { bpf, seccomp } = LINUX_COMMON;
  const action = rules.action === "kill"
    ? seccomp.SECCOMP_RET_KILL_PROCESS
    : seccomp.SECCOMP_RET_ERRNO | (rules.action & 0xffff);
  const allow = seccomp.SECCOMP_RET_ALLOW;
  const code: [number, number, number, number][] = [];
  const ret = (value: number) => code.push([bpf.RET_K, 0, 0, value]);
  /** If A equals `k`, run the next instruction (a return); else skip it. */
  const ifEqualReturn = (k: number, value: number) => {
    code.push([bpf.JMP_JEQ_K, 0, 1, k]);
    ret(value);
  };

  code.push([bpf.LD_W_ABS, 0, 0, seccomp.dataArchOffset]);
  code.push([bpf.JMP_JEQ_K, 1, 0, AUDIT_ARCH[arch]]);
  ret(seccomp.SECCOMP_RET_KILL_PROCESS);
  code.push([bpf.LD_W_ABS, 0, 0, seccomp.dataNrOffset]);
  if (arch === "x86_64") {
    code.push([bpf.JMP_JGE_K, 0, 1, X32_SYSCALL_BIT]);
    ret(action);
  }
  for (const name of ALWAYS_ALLOWED) ifEqualReturn(syscallNumber(name, arch), allow);
  if (restrictsSockets(rules)) {
    for (const name of NETWORK_DOORS) ifEqualReturn(syscallNumber(name, arch), action);
  }
  if (rules.socketFamilies) {
    // socket(), socketpair(): check the family (the low word of args[0]), then the rest.
    const families = rules.socketFamilies.map((f) => SOCKET_FAMILIES[f]);
    // Another call: skip the block (load, a check and a return per family, the final return).
    const block = 1 + families.length * 2 + 1;
    for (const call of FAMILY_CALLS) {
      code.push([bpf.JMP_JEQ_K, 0, block, syscallNumber(call, arch)]);
      code.push([bpf.LD_W_ABS, 0, 0, seccomp.dataArgsOffset]);
      for (const family of families) ifEqualReturn(family, allow);
      ret(action);
    }
  }
  const listed = rules.mode === "deny" ? action : allow;
  for (const name of rules.syscalls) ifEqualReturn(syscallNumber(name, arch), listed);
  ret(rules.mode === "deny" ? allow : action);

  const out = new Uint8Array(code.length * 8);
  const view = new DataView(out.buffer);
  code.forEach(([op, jt, jf, k], i) => {
    view.setUint16(i * 8, op, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k >>> 0, true);
  });
  return out;
}
