/**
 * bionic (Android) on x86_64 (emulators, Chromebooks). From bionic libc/include/spawn.h
 * (android-14.0.0_r1): opaque pointer types (8 B on LP64), flags RESETIDS 1 … USEVFORK 64,
 * SETSID 128 (API 28). libc/include/bits/signal_types.h: LP64 `sigset_t` is 8 B. Kernel layouts
 * are the x86_64 kernel's (packed epoll_event). Not compiler-checked here (no NDK): see README.
 * @module
 */
import { LINUX_X86_64 } from "./linux_x86_64.ts";
import { HELPER_REQUEST_LP64 } from "./helper_request.ts";
import type { AbiTable } from "./types.ts";

/** ABI table for bionic on x86_64. */
export const BIONIC_X86_64: AbiTable = {
  libc: "bionic",
  arch: "x86_64",
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
  kernel: LINUX_X86_64,
  helperRequest: HELPER_REQUEST_LP64,
};
