/*
 * coreshift child-setup helper: fork-exec without libc.
 *
 * Built with -nostdlib -ffreestanding into a tiny shared object that Deno loads with dlopen.
 * It only makes raw syscalls, so one binary per architecture serves glibc and bionic alike,
 * and nothing in the child can take a libc lock or run a Deno signal handler.
 *
 * Entry point: long coreshift_spawn(struct cs_request *req)
 *   returns the child's pid, or -errno if clone itself failed. A failure inside the child is
 *   reported as {errno, step}: through req->err_* for vfork (the child shares our memory and we
 *   resume only after it has exec'd or exited), through the req->error_fd pipe for fork, and
 *   for vfork where CLONE_VM is not honoured (qemu-user emulates vfork as a plain fork).
 *
 * struct cs_request is in cs_request.h, mirrored in ffi/abi/helper_request.ts (written by
 * ffi/native/request.ts); keep them in step (CS_ABI_VERSION guards it).
 */
#include "cs_request.h"

/* ---- raw syscalls ----------------------------------------------------------------------- */

#if defined(__x86_64__)
#define SYS_read 0
#define SYS_close 3
#define SYS_getdents64 217
#define SYS_openat 257
#define SYS_ppoll 271
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_write 1
#define SYS_clone 56
#define SYS_execve 59
#define SYS_fcntl 72
#define SYS_chdir 80
#define SYS_setpgid 109
#define SYS_setsid 112
#define SYS_exit_group 231
#define SYS_dup3 292
#define SYS_prlimit64 302
#define SYS_close_range 436
#define SYS_prctl 157
#define SYS_getppid 110
#define SYS_landlock_restrict_self 446
#define SYS_ioctl 16
#define SYS_setgroups 116
#define SYS_setresuid 117
#define SYS_setresgid 119

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
#define SYS_dup3 24
#define SYS_fcntl 25
#define SYS_openat 56
#define SYS_getdents64 61
#define SYS_ppoll 73
#define SYS_chdir 49
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_setpgid 154
#define SYS_setsid 157
#define SYS_clone 220
#define SYS_execve 221
#define SYS_prlimit64 261
#define SYS_close_range 436
#define SYS_prctl 167
#define SYS_getppid 173
#define SYS_landlock_restrict_self 446
#define SYS_setresuid 147
#define SYS_setresgid 149
#define SYS_setgroups 159
#define SYS_ioctl 29

static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory");
  return x0;
}
#else
#error "child_setup.c: add the syscall numbers and sys6 for this architecture"
#endif

#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define SIGCHLD 17
#define SIG_SETMASK 2
#define F_SETFD 2
#define SIGKILL 9
#define PR_SET_PDEATHSIG 1
#define TIOCSCTTY 0x540E
#define PR_SET_SECCOMP 22
#define PR_SET_NO_NEW_PRIVS 38
#define SECCOMP_MODE_FILTER 2

/* struct sock_fprog: the filter's length and where its instructions are. */
struct cs_sock_fprog {
  unsigned short len;
  const void *filter;
};
#define SIGSTOP 19
#define KERNEL_SIGSET_BYTES 8
#define AT_FDCWD (-100)
#define O_RDONLY_CLOEXEC 02000000 /* O_RDONLY | O_CLOEXEC, the same on both arches */
#define CLOSE_RANGE_MAX (~0U)

/* The kernel's struct sigaction starts with the handler on both arches; 32 zero bytes read as
 * {SIG_DFL, no flags, no restorer, empty mask} on x86_64 and aarch64 alike. */
struct kernel_sigaction {
  uint64_t handler;
  uint64_t rest[3];
};

/* ---- closing fds above 2 ------------------------------------------------------------------ */

/* Whether the child must keep `fd`: a kept fd, or until execve the fork error pipe and the
 * Landlock ruleset (both close-on-exec). */
static int kept_open(const struct cs_request *req, long fd) {
  if (fd == req->error_fd || (req->landlock_fd > 2 && fd == req->landlock_fd)) return 1;
  for (int i = 0; i < req->keep_count; i++) {
    if (req->keep_fds[i] == fd) return 1;
  }
  return 0;
}

/* The lowest kept fd at or above `from`, or -1. The keep list is short and need not be sorted. */
static long next_kept(const struct cs_request *req, long from) {
  long best = -1;
  if (req->error_fd >= from) best = req->error_fd;
  if (req->landlock_fd > 2 && req->landlock_fd >= from && (best < 0 || req->landlock_fd < best)) {
    best = req->landlock_fd;
  }
  for (int i = 0; i < req->keep_count; i++) {
    long fd = req->keep_fds[i];
    if (fd >= from && (best < 0 || fd < best)) best = fd;
  }
  return best;
}

/* close_range over each gap between kept fds, from 3 to the top. */
static long close_by_range(const struct cs_request *req) {
  long low = 3;
  for (long kept = next_kept(req, low); kept >= 0; kept = next_kept(req, low)) {
    if (kept > low) {
      long r = sys3(SYS_close_range, low, kept - 1, 0);
      if (r < 0) return r;
    }
    low = kept + 1;
  }
  return sys3(SYS_close_range, low, CLOSE_RANGE_MAX, 0);
}

/* Largest fd table scanned number by number (ppoll checks a number far faster than a walk
 * reads an entry); a larger one is sparse, and walking its open fds is cheaper. */
#define MAX_FDS_CLOSED_BY_NUMBER 16384

/* FDSize from /proc/self/status: how many fds this process's table holds, so every open fd is
 * below it. The line comes early (after Pid, Uid, Gid), well inside the first 1 KiB. */
static long fd_table_size(void) {
  char buf[1024];
  long f = sys4(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY_CLOEXEC, 0);
  if (f < 0) return f;
  long n = sys3(SYS_read, f, buf, sizeof buf - 1);
  sys1(SYS_close, f);
  if (n < 0) return n;
  buf[n] = 0;
  static const char key[] = "\nFDSize:";
  for (long i = 0; i < n; i++) {
    long k = 0;
    while (key[k] && buf[i + k] == key[k]) k++;
    if (key[k]) continue;
    const char *p = buf + i + k;
    while (*p == ' ' || *p == '\t') p++;
    long size = 0;
    for (; *p >= '0' && *p <= '9'; p++) size = size * 10 + (*p - '0');
    return size > 0 ? size : -1;
  }
  return -1;
}

/* The fd a /proc/self/fd entry names, or -1 for "." and "..". */
static long fd_of_name(const char *name) {
  long fd = 0;
  if (*name == 0) return -1;
  for (; *name; name++) {
    if (*name < '0' || *name > '9') return -1;
    fd = fd * 10 + (*name - '0');
  }
  return fd;
}

/* Reads the open fds from /proc/self/fd and closes each one not kept. Each entry costs the
 * kernel a dentry, so this is only for fd tables too sparse to scan number by number.
 * Closing entries already read does not disturb the walk: it goes by fd number. */
static long close_by_walk(const struct cs_request *req) {
  long dir = sys4(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY_CLOEXEC, 0);
  if (dir < 0) return dir;
  /* struct linux_dirent64: u64 ino, s64 off, u16 reclen (at 16), u8 type, char name[] (at 19) */
  char buf[1024] __attribute__((aligned(8)));
  for (;;) {
    long n = sys3(SYS_getdents64, dir, buf, sizeof buf);
    if (n <= 0) {
      sys1(SYS_close, dir);
      return n;
    }
    for (long at = 0; at < n; at += *(uint16_t *)(buf + at + 16)) {
      long fd = fd_of_name(buf + at + 19);
      if (fd >= 3 && fd != dir && !kept_open(req, fd)) sys1(SYS_close, fd);
    }
  }
}

struct pollfd_k {
  int32_t fd;
  int16_t events;
  int16_t revents;
};
#define POLLNVAL 0x20
#define FDS_PER_POLL 256

/* Where close_range is not allowed (Android below API 33, Linux before 5.9): every fd number
 * from 3 up to the size of this child's own fd table, so nothing opened since the parent
 * decided is missed. A zero-timeout ppoll finds which of 256 numbers are open in one call
 * (POLLNVAL marks the free ones); only those are closed. */
static long close_by_scan(const struct cs_request *req) {
  long size = fd_table_size();
  if (size < 0 || size > MAX_FDS_CLOSED_BY_NUMBER) return close_by_walk(req);
  struct pollfd_k polled[FDS_PER_POLL];
  uint64_t no_wait[2] = {0, 0};
  for (long base = 3; base < size; base += FDS_PER_POLL) {
    long count = size - base < FDS_PER_POLL ? size - base : FDS_PER_POLL;
    for (long i = 0; i < count; i++) polled[i] = (struct pollfd_k){(int32_t)(base + i), 0, 0};
    long r = sys6(SYS_ppoll, (long)polled, count, (long)no_wait, 0, KERNEL_SIGSET_BYTES, 0);
    if (r < 0) return r;
    for (long i = 0; i < count; i++) {
      if (!(polled[i].revents & POLLNVAL) && !kept_open(req, base + i)) sys1(SYS_close, base + i);
    }
  }
  return 0;
}

/* ---- the child -------------------------------------------------------------------------- */

__attribute__((noreturn)) static void fail(struct cs_request *req, long err, int step) {
  if (req->error_fd >= 0) { /* fork, or a vfork that does not share memory (qemu-user) */
    int32_t msg[2] = {(int32_t)-err, step};
    sys3(SYS_write, req->error_fd, msg, sizeof msg);
  } else {
    req->err_errno = (int32_t)-err;
    req->err_step = step;
  }
  for (;;) sys1(SYS_exit_group, 127);
}

/* Runs in the child, top to bottom; every step is a raw syscall. Never returns. */
static int child_main(void *arg) {
  struct cs_request *req = arg;
  long r;

  /* STEP_DEATH_SIGNAL: die with the parent. The death signal arrives when the thread that cloned us exits
   *    (the parent starts such children from its main thread). If the parent died before the
   *    prctl, we were already re-parented and the signal will never come: leave now. */
  if (req->death_signal) {
    r = sys2(SYS_prctl, PR_SET_PDEATHSIG, req->death_signal);
    if (r < 0) fail(req, r, STEP_DEATH_SIGNAL);
    if (sys0(SYS_getppid) != req->parent_pid) sys1(SYS_exit_group, 1);
  }

  /* STEP_DUP_STDIN/STDOUT/STDERR: dup each chosen fd onto 0, 1, 2 (dup3 clears CLOEXEC on the
   * copy). The parent guarantees every source is >= 3, so no dup overwrites a source still to
   * be used. */
  for (int i = 0; i < 3; i++) {
    if (req->stdio[i] < 0) continue;
    r = sys3(SYS_dup3, req->stdio[i], i, 0);
    if (r < 0) fail(req, r, STEP_DUP_STDIN + i);
  }

  /* STEP_EXTRA_FDS: fds mapped to chosen numbers. The parent placed every source above every
   * target and the error pipe, so no dup overwrites a source still to be used; the targets are
   * kept. */
  for (int i = 0; i < req->extra_count; i++) {
    r = sys3(SYS_dup3, req->extra_fds[2 * i], req->extra_fds[2 * i + 1], 0);
    if (r < 0) fail(req, r, STEP_EXTRA_FDS);
  }

  /* STEP_CLOSE_FDS, STEP_KEEP_FDS: the fd policy. Close what the child must not get, then clear
   * CLOEXEC on what it keeps. The kept fds and the fork error pipe (>= 3 by construction, needed
   * until execve) stay. */
  if (req->close_above2 == CLOSE_BY_RANGE) {
    r = close_by_range(req);
    if (r < 0) fail(req, r, STEP_CLOSE_FDS);
  } else if (req->close_above2 == CLOSE_BY_SCAN) {
    r = close_by_scan(req);
    if (r < 0) fail(req, r, STEP_CLOSE_FDS);
  }
  for (int i = 0; i < req->keep_count; i++) {
    r = sys3(SYS_fcntl, req->keep_fds[i], F_SETFD, 0);
    if (r < 0) fail(req, r, STEP_KEEP_FDS);
  }

  /* STEP_SETSID, STEP_SETPGID: lead a new session, lead a new group, or join a group. */
  if (req->pgroup == CS_PGROUP_SESSION) {
    r = sys0(SYS_setsid);
    if (r < 0) fail(req, r, STEP_SETSID);
  } else if (req->pgroup == CS_PGROUP_LEADER || req->pgroup == CS_PGROUP_JOIN) {
    r = sys2(SYS_setpgid, 0, req->pgroup == CS_PGROUP_JOIN ? req->pgid : 0);
    if (r < 0) fail(req, r, STEP_SETPGID);
  }

  /* STEP_CONTROLLING_TTY: a pseudo-terminal's slave, already on 0, 1 and 2, becomes the new
   * session's controlling terminal (the parent asks for this only with a new session). */
  if (req->controlling_tty) {
    r = sys3(SYS_ioctl, 0, TIOCSCTTY, 0);
    if (r < 0) fail(req, r, STEP_CONTROLLING_TTY);
  }

  /* STEP_SETRLIMIT: resource limits (prlimit64 on ourselves: the call bionic's setrlimit makes
   * too), while we may still raise a hard limit. */
  for (int i = 0; i < req->rlimit_count; i++) {
    uint64_t lim[2] = {req->rlimits[i].soft, req->rlimits[i].hard};
    r = sys4(SYS_prlimit64, 0, req->rlimits[i].resource, lim, 0);
    if (r < 0) fail(req, r, STEP_SETRLIMIT);
  }

  /* STEP_SETGROUPS, STEP_SETGID, STEP_SETUID: supplementary groups dropped (a root parent's),
   * then the group, then the user last, since no other id can change after it. The parent gates
   * each call. */
  if (req->set_ids & CS_DROP_GROUPS) {
    r = sys2(SYS_setgroups, 0, 0);
    if (r < 0) fail(req, r, STEP_SETGROUPS);
  }
  if (req->set_ids & CS_SET_GID) {
    r = sys3(SYS_setresgid, req->gid, req->gid, req->gid);
    if (r < 0) fail(req, r, STEP_SETGID);
  }
  if (req->set_ids & CS_SET_UID) {
    r = sys3(SYS_setresuid, req->uid, req->uid, req->uid);
    if (r < 0) fail(req, r, STEP_SETUID);
  }

  /* STEP_CHDIR: the working directory, entered as the user the program runs as. */
  if (req->cwd) {
    r = sys1(SYS_chdir, req->cwd);
    if (r < 0) fail(req, r, STEP_CHDIR);
  }

  /* STEP_NO_NEW_PRIVS, STEP_LANDLOCK: confinement, in this order: no_new_privs (Landlock and an
   * unprivileged seccomp filter demand it), then the Landlock ruleset the parent built. The
   * seccomp filter comes last (STEP_SECCOMP). */
  if (req->no_new_privs) {
    r = sys2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1);
    if (r < 0) fail(req, r, STEP_NO_NEW_PRIVS);
  }
  if (req->landlock_fd > 2) {
    r = sys2(SYS_landlock_restrict_self, req->landlock_fd, 0);
    if (r < 0) fail(req, r, STEP_LANDLOCK);
  }

  /* STEP_SIGACTION: every handled or ignored signal back to its default, while all signals are
   * still blocked, so no parent handler can ever run here. */
  struct kernel_sigaction dfl = {0}, old;
  for (int sig = 1; sig <= 64; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (sys4(SYS_rt_sigaction, sig, 0, &old, KERNEL_SIGSET_BYTES) < 0 || old.handler == 0) continue;
    r = sys4(SYS_rt_sigaction, sig, &dfl, 0, KERNEL_SIGSET_BYTES);
    if (r < 0) fail(req, r, STEP_SIGACTION);
  }

  /* STEP_SIGMASK: an empty signal mask for the new program. */
  uint64_t empty = 0;
  r = sys4(SYS_rt_sigprocmask, SIG_SETMASK, &empty, 0, KERNEL_SIGSET_BYTES);
  if (r < 0) fail(req, r, STEP_SIGMASK);

  /* STEP_SECCOMP: the filter, just before exec: from here on only what it allows runs, and it
   * allows execve and exiting (the parent builds it so). */
  if (req->seccomp_count > 0) {
    struct cs_sock_fprog prog = {(unsigned short)req->seccomp_count, req->seccomp_filter};
    r = sys3(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
    if (r < 0) fail(req, r, STEP_SECCOMP);
  }

  /* STEP_EXECVE: only returns on failure. */
  r = sys3(SYS_execve, req->path, req->argv, req->envp);
  fail(req, r, STEP_EXECVE);
}

/* ---- vfork: clone onto our own stack ---------------------------------------------------- */

/* long cs_clone_vm(unsigned long flags, char *stack_top, int (*fn)(void *), void *arg)
 * The child starts on stack_top, where fn and arg were stored: not in registers, since the
 * x86_64 syscall instruction clobbers rcx and r11. The child calls fn(arg) and exits. */
__attribute__((visibility("hidden"))) long cs_clone_vm(unsigned long flags, char *stack_top,
                                                  int (*fn)(void *), void *arg);

#if defined(__x86_64__)
__asm__(".text\n"
        ".type cs_clone_vm,@function\n"
        "cs_clone_vm:\n"
        "  and $-16, %rsi\n"
        "  sub $16, %rsi\n"
        "  mov %rdx, 0(%rsi)\n"
        "  mov %rcx, 8(%rsi)\n"
        "  mov $56, %eax\n" /* SYS_clone(flags, newsp, ptid=0, ctid=0, tls=0) */
        "  xor %edx, %edx\n"
        "  xor %r10d, %r10d\n"
        "  xor %r8d, %r8d\n"
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jnz 1f\n"
        "  xor %ebp, %ebp\n" /* child: terminate frame chain */
        "  pop %rax\n"
        "  pop %rdi\n"
        "  call *%rax\n"
        "  mov %eax, %edi\n"
        "  mov $231, %eax\n" /* SYS_exit_group */
        "  syscall\n"
        "  hlt\n"
        "1: ret\n"
        ".size cs_clone_vm, .-cs_clone_vm\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".type cs_clone_vm,%function\n"
        "cs_clone_vm:\n"
        "  and x1, x1, #-16\n"
        "  stp x2, x3, [x1, #-16]!\n"
        "  mov x8, #220\n" /* SYS_clone(flags, newsp, ptid=0, tls=0, ctid=0) */
        "  mov x2, xzr\n"
        "  mov x3, xzr\n"
        "  mov x4, xzr\n"
        "  svc #0\n"
        "  cbnz x0, 1f\n"
        "  mov x29, xzr\n" /* child: terminate frame chain */
        "  ldp x2, x0, [sp], #16\n"
        "  blr x2\n"
        "  mov x8, #94\n" /* SYS_exit_group */
        "  svc #0\n"
        "  brk #0\n"
        "1: ret\n"
        ".size cs_clone_vm, .-cs_clone_vm\n");
#endif

/* ---- entry points ----------------------------------------------------------------------- */

__attribute__((visibility("default"))) int coreshift_abi_version(void) { return CS_ABI_VERSION; }

__attribute__((visibility("default"))) long coreshift_spawn(struct cs_request *req) {
  /* Block every signal in this thread around clone: the child inherits the mask, so no Deno
   * handler runs in it before STEP_SIGACTION resets the dispositions. */
  uint64_t all = ~0ULL, old;
  long pid = sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, KERNEL_SIGSET_BYTES);
  if (pid < 0) return pid;
  req->err_errno = 0;
  req->err_step = 0;
  if (req->use_vfork) {
    pid = cs_clone_vm(CLONE_VM | CLONE_VFORK | SIGCHLD, req->stack + req->stack_size, child_main,
                      req);
  } else {
    pid = sys2(SYS_clone, SIGCHLD, 0); /* fork: the child runs on a copy of this stack */
    if (pid == 0) child_main(req);
  }
  sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, KERNEL_SIGSET_BYTES);
  return pid;
}
