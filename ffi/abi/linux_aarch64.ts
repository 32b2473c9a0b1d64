/**
 * aarch64 Linux kernel ABI. Sources: arch/arm64/include/uapi/asm/fcntl.h (O_DIRECTORY differs
 * from x86_64), uapi/linux/eventpoll.h (not packed on arm64), include/uapi/asm-generic/unistd.h.
 * @module
 */
import { LINUX_COMMON } from "./linux_common.ts";
import type { KernelAbi } from "./types.ts";

/** Kernel ABI of aarch64 Linux. */
export const LINUX_AARCH64: KernelAbi = {
  open: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_CREAT: 0o100,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_NONBLOCK: 0o4000,
    O_CLOEXEC: 0o2000000,
    O_DIRECTORY: 0o40000,
    O_PATH: 0o10000000,
    O_NOCTTY: 0o400,
  },
  auditArch: 0xc00000b7,
  epollEvent: { size: 16, eventsOffset: 0, dataOffset: 8 },
  rusage: { size: 144, utimeOffset: 0, stimeOffset: 16, maxrssOffset: 32 },
  syscalls: { pidfd_open: 434, close_range: 436, getdents64: 61 },
  common: LINUX_COMMON,
};
