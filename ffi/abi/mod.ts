/**
 * Picks the ABI table for a libc × arch pair.
 * @module
 */
import { BIONIC_AARCH64 } from "./bionic_aarch64.ts";
import { BIONIC_X86_64 } from "./bionic_x86_64.ts";
import { GLIBC_AARCH64 } from "./glibc_aarch64.ts";
import { GLIBC_X86_64 } from "./glibc_x86_64.ts";
import type { AbiTable, ArchName, LibcName } from "./types.ts";

export type { AbiTable, ArchName, KernelAbi, LibcName, LinuxCommonAbi } from "./types.ts";

/** Every table coreshift ships, keyed `libc-arch`. */
export const ABI_TABLES: Readonly<Record<`${LibcName}-${ArchName}`, AbiTable>> = {
  "glibc-x86_64": GLIBC_X86_64,
  "glibc-aarch64": GLIBC_AARCH64,
  "bionic-x86_64": BIONIC_X86_64,
  "bionic-aarch64": BIONIC_AARCH64,
};

/** The table for `libc` on `arch`. */
export function abiFor(libc: LibcName, arch: ArchName): AbiTable {
  return ABI_TABLES[`${libc}-${arch}`];
}
