/**
 * glibc on x86_64. Sizes from glibc's posix/spawn.h and bits/types/__sigset_t.h
 * (`posix_spawnattr_t` 336 B, `posix_spawn_file_actions_t` 80 B, `sigset_t` 1024 bits);
 * flags from posix/spawn.h (SETSID since 2.26). Checked against the C compiler by tests/abi_test.ts.
 * @module
 */
import { LINUX_X86_64 } from "./linux_x86_64.ts";
import { HELPER_REQUEST_LP64 } from "./helper_request.ts";
import type { AbiTable } from "./types.ts";

/** ABI table for glibc on x86_64. */
export const GLIBC_X86_64: AbiTable = {
  libc: "glibc",
  arch: "x86_64",
  libraryName: "libc.so.6",
  errnoSymbol: "__errno_location",
  sizes: { sigset: 128, posixSpawnattr: 336, posixSpawnFileActions: 80 },
  sigaction: { size: 152, handlerOffset: 0, flagsOffset: 136 },
  spawnFlags: {
    RESETIDS: 0x01,
    SETPGROUP: 0x02,
    SETSIGDEF: 0x04,
    SETSIGMASK: 0x08,
    USEVFORK: 0x40,
    SETSID: 0x80,
  },
  kernel: LINUX_X86_64,
  helperRequest: HELPER_REQUEST_LP64,
};
