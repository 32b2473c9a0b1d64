/**
 * The shape of one ABI table. Every struct size, offset, flag and number that coreshift passes
 * across FFI comes from a table of this shape: one table per libc × arch, nothing inline.
 * @module
 */

import type { HelperRequestLayout } from "./helper_request.ts";

/** The C libraries coreshift knows. */
export type LibcName = "glibc" | "bionic";
/** The CPU architectures coreshift knows (Deno's `Deno.build.arch` spelling). */
export type ArchName = "x86_64" | "aarch64";

/** Kernel ABI facts for one architecture: the same under every libc. */
export interface KernelAbi {
  /** `open(2)` flags used by coreshift. */
  readonly open: {
    readonly O_RDONLY: number;
    readonly O_WRONLY: number;
    readonly O_RDWR: number;
    readonly O_CREAT: number;
    readonly O_TRUNC: number;
    readonly O_APPEND: number;
    readonly O_NONBLOCK: number;
    readonly O_CLOEXEC: number;
    readonly O_DIRECTORY: number;
    readonly O_PATH: number;
    readonly O_NOCTTY: number;
  };
  /** `AUDIT_ARCH_*` of this architecture, as a seccomp filter sees it in `seccomp_data.arch`. */
  readonly auditArch: number;
  /** `struct epoll_event`: packed (12 bytes) on x86_64, naturally aligned (16) on aarch64. */
  readonly epollEvent: {
    readonly size: number;
    readonly eventsOffset: number;
    readonly dataOffset: number;
  };
  /** `struct rusage` (two `struct timeval` then longs). */
  readonly rusage: {
    readonly size: number;
    readonly utimeOffset: number;
    readonly stimeOffset: number;
    readonly maxrssOffset: number;
  };
  /** Syscall numbers for calls made through libc's `syscall()` or the native helper. */
  readonly syscalls: {
    readonly pidfd_open: number;
    readonly close_range: number;
    /** Directory listing without Deno's fs ops, which refuse /proc/self without -A. */
    readonly getdents64: number;
  };
  /** Constants that are identical on every Linux architecture coreshift supports. */
  readonly common: LinuxCommonAbi;
}

/** Numbers shared by asm-generic and x86_64 Linux: errno values, signals, fcntl, epoll, wait. */
export interface LinuxCommonAbi {
  readonly errno: Readonly<Record<string, number>>;
  readonly signals: Readonly<Record<string, number>>;
  readonly fcntl: {
    readonly F_DUPFD_CLOEXEC: number;
    readonly F_GETFD: number;
    readonly F_SETFD: number;
    /** Linux-specific (F_LINUX_SPECIFIC_BASE + 7): resize a pipe's buffer. */
    readonly F_SETPIPE_SZ: number;
    readonly F_GETFL: number;
    readonly F_SETFL: number;
    readonly FD_CLOEXEC: number;
  };
  readonly epoll: {
    readonly EPOLL_CLOEXEC: number;
    readonly EPOLLIN: number;
    readonly EPOLLOUT: number;
    readonly EPOLLERR: number;
    readonly EPOLLHUP: number;
    readonly EPOLL_CTL_ADD: number;
    readonly EPOLL_CTL_DEL: number;
  };
  readonly wait: { readonly WNOHANG: number };
  /** Signal dispositions: the default and ignore handlers, and `SA_NOCLDWAIT` (no zombies). */
  readonly disposition: {
    readonly SIG_DFL: number;
    readonly SIG_IGN: number;
    readonly SA_NOCLDWAIT: number;
  };
  /** timerfd: the clock, `TFD_*` flags (equal to `O_CLOEXEC`/`O_NONBLOCK`), `itimerspec`. */
  readonly timerfd: {
    readonly CLOCK_MONOTONIC: number;
    readonly TFD_CLOEXEC: number;
    readonly TFD_NONBLOCK: number;
    /** `struct itimerspec`: its size and where `it_value`'s seconds and nanoseconds sit. */
    readonly itimerspec: {
      readonly size: number;
      readonly valueSecOffset: number;
      readonly valueNsecOffset: number;
    };
  };
  readonly mmap: {
    readonly PROT_NONE: number;
    readonly PROT_READ: number;
    readonly PROT_WRITE: number;
    readonly MAP_PRIVATE: number;
    readonly MAP_ANONYMOUS: number;
    readonly MAP_STACK: number;
  };
  /** `RLIMIT_*` resource numbers. */
  readonly rlimits: Readonly<Record<string, number>>;
  readonly access: { readonly F_OK: number; readonly X_OK: number };
  /** Installing a seccomp filter: the prctl options and the filter's return values. */
  readonly seccomp: {
    readonly PR_SET_NO_NEW_PRIVS: number;
    readonly PR_SET_SECCOMP: number;
    readonly SECCOMP_MODE_FILTER: number;
    readonly SECCOMP_RET_KILL_PROCESS: number;
    readonly SECCOMP_RET_ERRNO: number;
    readonly SECCOMP_RET_ALLOW: number;
    /** `struct seccomp_data`: where the number, the arch and the arguments sit. */
    readonly dataNrOffset: number;
    readonly dataArchOffset: number;
    readonly dataArgsOffset: number;
  };
  /** Classic BPF opcodes a seccomp filter is made of (`BPF_LD|BPF_W|BPF_ABS`, …). */
  readonly bpf: {
    readonly LD_W_ABS: number;
    readonly JMP_JEQ_K: number;
    readonly JMP_JGE_K: number;
    readonly RET_K: number;
  };
  /** Terminal ioctls for a pseudo-terminal: unlock, number, window size, controlling tty. */
  readonly tty: {
    readonly TIOCSPTLCK: number;
    readonly TIOCGPTN: number;
    readonly TIOCSWINSZ: number;
    readonly TIOCGWINSZ: number;
    readonly TIOCSCTTY: number;
    /** Read the terminal's settings (`struct termios`). */
    readonly TCGETS: number;
    /** Where `c_cc`, the control characters, starts in `struct termios`. */
    readonly termiosCcOffset: number;
    /** The index of the end-of-file character in `c_cc`. */
    readonly VEOF: number;
  };
  /** Socket address families, for a filter on `socket()`'s first argument. */
  readonly addressFamilies: {
    readonly AF_UNIX: number;
    readonly AF_INET: number;
    readonly AF_INET6: number;
    readonly AF_NETLINK: number;
    readonly AF_PACKET: number;
  };
  /** Landlock: the version query, the path rule type and the filesystem access rights. */
  readonly landlock: {
    readonly LANDLOCK_CREATE_RULESET_VERSION: number;
    readonly LANDLOCK_RULE_PATH_BENEATH: number;
    readonly fsAccess: Readonly<Record<string, number>>;
  };
}

/** What one libc on one architecture lays out and accepts. */
export interface AbiTable {
  readonly libc: LibcName;
  readonly arch: ArchName;
  /** Shared object to `dlopen`. */
  readonly libraryName: string;
  /** The function that returns `int *` to this thread's errno. */
  readonly errnoSymbol: "__errno_location" | "__errno";
  /** Opaque libc types we only allocate and hand back to libc. */
  readonly sizes: {
    readonly sigset: number;
    readonly posixSpawnattr: number;
    readonly posixSpawnFileActions: number;
  };
  /** `POSIX_SPAWN_*` flags. Values the libc does not define are absent, never guessed. */
  readonly spawnFlags: {
    readonly RESETIDS: number;
    readonly SETPGROUP: number;
    readonly SETSIGDEF: number;
    readonly SETSIGMASK: number;
    readonly USEVFORK: number;
    readonly SETSID: number;
  };
  /**
   * libc's `struct sigaction` (not the kernel's): glibc puts the handler first and the flags
   * after a 128-byte mask; bionic LP64 puts an int of flags first.
   */
  readonly sigaction: {
    readonly size: number;
    readonly handlerOffset: number;
    readonly flagsOffset: number;
  };
  readonly kernel: KernelAbi;
  /** Layout of the native helper's request struct (same C source for every libc). */
  readonly helperRequest: HelperRequestLayout;
}
