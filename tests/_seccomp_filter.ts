/**
 * A seccomp filter like Android's app filter, for tests/bionic_runtime_test.ts: the syscalls an
 * API level allows (from _android_policy.ts) by number, everything else trapped with SIGSYS, as
 * Android's genseccomp output does. Numbers come from bionic's own uapi headers.
 * @module
 */
import { join } from "node:path";
import { BIONIC_DIR } from "./_android_policy.ts";

/** x86_64 syscall numbers by name, from bionic's `asm-x86/asm/unistd_64.h`. */
export function x86_64SyscallNumbers(): Map<string, number> {
  const header = join(BIONIC_DIR, "include", "kernel", "uapi", "asm-x86", "asm", "unistd_64.h");
  const text = Deno.readTextFileSync(header);
  return new Map(
    [...text.matchAll(/^#define __NR_(\w+)\s+(\d+)\s*$/gm)].map((m) => [m[1], Number(m[2])]),
  );
}

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_RET_K = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_TRAP = 0x00030000;
const AUDIT_ARCH_X86_64 = 0xc000003e;
/** Offsets in struct seccomp_data. */
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;

/**
 * `struct sock_filter[]` bytes: load the arch (trap a foreign one), load the number, allow each
 * listed one, trap the rest. Checks of 250 numbers at most per jump table keep every jump within
 * the 8-bit offset BPF allows.
 */
export function allowListFilter(numbers: readonly number[]): Uint8Array {
  const insns: [number, number, number, number][] = [
    [BPF_LD_W_ABS, 0, 0, ARCH_OFFSET],
    [BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64],
    [BPF_RET_K, 0, 0, SECCOMP_RET_TRAP],
    [BPF_LD_W_ABS, 0, 0, NR_OFFSET],
  ];
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  for (let start = 0; start < sorted.length; start += 250) {
    const chunk = sorted.slice(start, start + 250);
    const last = start + 250 >= sorted.length;
    // Each check jumps to the ALLOW that ends this chunk's block; a miss falls through.
    chunk.forEach((nr, i) => insns.push([BPF_JEQ_K, chunk.length - i, 0, nr]));
    if (last) insns.push([BPF_RET_K, 0, 0, SECCOMP_RET_TRAP]);
    else insns.push([0x05, /* BPF_JA */ 0, 0, 1]); // skip this block's ALLOW
    insns.push([BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW]);
  }
  if (sorted.length === 0) insns.push([BPF_RET_K, 0, 0, SECCOMP_RET_TRAP]);
  const out = new Uint8Array(insns.length * 8);
  const view = new DataView(out.buffer);
  insns.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k, true);
  });
  return out;
}
