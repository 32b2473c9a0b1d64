/**
 * bionic (Android) on aarch64. From bionic libc/include/spawn.h (android-14.0.0_r1):
 * `posix_spawnattr_t` and `posix_spawn_file_actions_t` are `struct … *` (8 B on LP64);
 * flags RESETIDS 1 … USEVFORK 64, SETSID 128 (API 28), CLOEXEC_DEFAULT 256 (API 33, unused
 * here). libc/include/bits/signal_types.h: LP64 `sigset_t` is one unsigned long (8 B).
 * Kernel layouts are the aarch64 kernel's. Not compiler-checked here (no NDK): see README.
 * @module
 */
import { LINUX_AARCH64 } from "./linux_aarch64.ts";
import { HELPER_REQUEST_LP64 } from "./helper_request.ts";
import type { AbiTable } from "./types.ts";

/** ABI table for bionic on aarch64. */
export const BIONIC_AARCH64: AbiTable = {
  libc: "bionic",
  arch: "aarch64",
  libraryName: "libc.so",
  errnoSymbol: "__errno",
  sizes: { sigset: 8, posixSpawnattr: 8, posixSpawnFileActions: 8 },
  sigaction: { size: 32, handlerOffset: 8, flagsOffset: 0 },
  spawnFlags: {
    RESETIDS: 1,
    SETPGROUP: 2,
    SETSIGDEF: 4,
    SETSIGMASK: 8,
    USEVFORK: 64,
    SETSID: 128,
  },
  kernel: LINUX_AARCH64,
  helperRequest: HELPER_REQUEST_LP64,
};
