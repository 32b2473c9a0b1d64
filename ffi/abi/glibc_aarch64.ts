/**
 * glibc on aarch64. Same generic layouts as x86_64 (posix/spawn.h: `posix_spawnattr_t` 336 B,
 * `posix_spawn_file_actions_t` 80 B, `sigset_t` 1024 bits); kernel part differs (epoll_event is
 * not packed, O_DIRECTORY). Checked against aarch64-linux-gnu-gcc by tests/abi_test.ts.
 * @module
 */
import { LINUX_AARCH64 } from "./linux_aarch64.ts";
import { HELPER_REQUEST_LP64 } from "./helper_request.ts";
import type { AbiTable } from "./types.ts";

/** ABI table for glibc on aarch64. */
export const GLIBC_AARCH64: AbiTable = {
  libc: "glibc",
  arch: "aarch64",
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
  kernel: LINUX_AARCH64,
  helperRequest: HELPER_REQUEST_LP64,
};
