/**
 * x86_64 Linux kernel ABI. Sources: arch/x86/include/uapi/asm (fcntl uses asm-generic values),
 * uapi/linux/eventpoll.h (`EPOLL_PACKED` on x86_64), arch/x86/entry/syscalls/syscall_64.tbl.
 * @module
 */
import { LINUX_COMMON } from "./linux_common.ts";
import type { KernelAbi } from "./types.ts";

/** Kernel ABI of x86_64 Linux. */
export const LINUX_X86_64: KernelAbi = {
  open: {
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    O_CREAT: 0o100,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_NONBLOCK: 0o4000,
    O_CLOEXEC: 0o2000000,
    O_DIRECTORY: 0o200000,
    O_PATH: 0o10000000,
    O_NOCTTY: 0o400,
  },
  auditArch: 0xc000003e,
  epollEvent: { size: 12, eventsOffset: 0, dataOffset: 4 },
  rusage: { size: 144, utimeOffset: 0, stimeOffset: 16, maxrssOffset: 32 },
  syscalls: { pidfd_open: 434, close_range: 436, getdents64: 217 },
  common: LINUX_COMMON,
};
