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
 * The layout of struct cs_request is mirrored in ffi/abi/helper_request.ts (written by
 * ffi/native/request.ts); keep them in step
 * (CS_ABI_VERSION guards it).
 */
#include <stdint.h>

#define CS_ABI_VERSION 1

/* ---- the request ------------------------------------------------------------------------ */

struct cs_rlimit {
  uint32_t resource;
  uint32_t pad;
  uint64_t soft;
  uint64_t hard;
};

struct cs_request {
  const char *path;              /*   0: program to execve */
  char *const *argv;             /*   8 */
  char *const *envp;             /*  16 */
  const char *cwd;               /*  24: NULL = stay */
  const int32_t *close_fds;      /*  32: fds to close in the child */
  const int32_t *keep_fds;       /*  40: fds to keep open across exec (CLOEXEC cleared) */
  const struct cs_rlimit *rlimits; /* 48 */
  char *stack;                   /*  56: vfork child stack (lowest address), size below */
  uint64_t stack_size;           /*  64 */
  uint64_t reset_signals;        /*  72: bit n-1 = reset signal n to SIG_DFL if it is not */
  int32_t stdio[3];              /*  80: fd to dup onto 0, 1, 2; -1 leaves it as it is */
  int32_t close_count;           /*  92 */
  int32_t keep_count;            /*  96 */
  int32_t rlimit_count;          /* 100 */
  int32_t pgroup;                /* 104: 0 none, 1 leader (setpgid), 2 session (setsid) */
  int32_t use_vfork;             /* 108 */
  int32_t close_from3_range;     /* 112: 1 = close_range(3, ~0) instead of the close list */
  int32_t error_fd;              /* 116: CLOEXEC pipe for {errno, step}, or -1: report below */
  int32_t err_errno;             /* 120: out, when error_fd is -1 (vfork sharing our memory) */
  int32_t err_step;              /* 124: out, likewise */
};                               /* 128 bytes */

/* The step that failed, as reported to the parent (ffi/native/steps.ts names them). */
enum cs_step {
  STEP_DUP_STDIN = 1,
  STEP_DUP_STDOUT = 2,
  STEP_DUP_STDERR = 3,
  STEP_CLOSE_FDS = 4,
  STEP_KEEP_FDS = 5,
  STEP_SETSID = 6,
  STEP_SETPGID = 7,
  STEP_CHDIR = 8,
  STEP_SETRLIMIT = 9,
  STEP_SIGACTION = 10,
  STEP_SIGMASK = 11,
  STEP_EXECVE = 12,
};

/* ---- raw syscalls ----------------------------------------------------------------------- */

#if defined(__x86_64__)
#define SYS_close 3
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
#define SYS_chdir 49
#define SYS_close 57
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
#define EBADF 9
#define SIGKILL 9
#define SIGSTOP 19
#define KERNEL_SIGSET_BYTES 8

/* The kernel's struct sigaction starts with the handler on both arches; 32 zero bytes read as
 * {SIG_DFL, no flags, no restorer, empty mask} on x86_64 and aarch64 alike. */
struct kernel_sigaction {
  uint64_t handler;
  uint64_t rest[3];
};

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

  /* 1. stdio: dup each chosen fd onto 0, 1, 2 (dup3 clears CLOEXEC on the copy). The parent
   *    guarantees every source is >= 3, so no dup overwrites a source still to be used. */
  for (int i = 0; i < 3; i++) {
    if (req->stdio[i] < 0) continue;
    r = sys3(SYS_dup3, req->stdio[i], i, 0);
    if (r < 0) fail(req, r, STEP_DUP_STDIN + i);
  }

  /* 2. fd policy: close what the child must not get, then clear CLOEXEC on what it keeps. */
  if (req->close_from3_range) {
    /* Around the fork error pipe (>= 3 by construction), which must live until execve. */
    int err = req->error_fd;
    r = err > 3 ? sys3(SYS_close_range, 3, err - 1, 0) : 0;
    if (r >= 0) r = sys3(SYS_close_range, err >= 3 ? err + 1 : 3, ~0U, 0);
    if (r < 0) fail(req, r, STEP_CLOSE_FDS);
  }
  for (int i = 0; i < req->close_count; i++) {
    r = sys1(SYS_close, req->close_fds[i]);
    if (r < 0 && r != -EBADF) fail(req, r, STEP_CLOSE_FDS);
  }
  for (int i = 0; i < req->keep_count; i++) {
    r = sys3(SYS_fcntl, req->keep_fds[i], F_SETFD, 0);
    if (r < 0) fail(req, r, STEP_KEEP_FDS);
  }

  /* 3. process group or session. */
  if (req->pgroup == 2) {
    r = sys0(SYS_setsid);
    if (r < 0) fail(req, r, STEP_SETSID);
  } else if (req->pgroup == 1) {
    r = sys2(SYS_setpgid, 0, 0);
    if (r < 0) fail(req, r, STEP_SETPGID);
  }

  /* 4. working directory. */
  if (req->cwd) {
    r = sys1(SYS_chdir, req->cwd);
    if (r < 0) fail(req, r, STEP_CHDIR);
  }

  /* 5. resource limits (prlimit64 on ourselves: the call bionic's setrlimit makes too). */
  for (int i = 0; i < req->rlimit_count; i++) {
    uint64_t lim[2] = {req->rlimits[i].soft, req->rlimits[i].hard};
    r = sys4(SYS_prlimit64, 0, req->rlimits[i].resource, lim, 0);
    if (r < 0) fail(req, r, STEP_SETRLIMIT);
  }

  /* 6. signal dispositions: every handled or ignored signal back to default, while all signals
   *    are still blocked, so no parent handler can ever run here. */
  struct kernel_sigaction dfl = {0}, old;
  for (int sig = 1; sig <= 64; sig++) {
    if (!(req->reset_signals & (1ULL << (sig - 1))) || sig == SIGKILL || sig == SIGSTOP) continue;
    if (sys4(SYS_rt_sigaction, sig, 0, &old, KERNEL_SIGSET_BYTES) < 0 || old.handler == 0) continue;
    r = sys4(SYS_rt_sigaction, sig, &dfl, 0, KERNEL_SIGSET_BYTES);
    if (r < 0) fail(req, r, STEP_SIGACTION);
  }

  /* 7. an empty signal mask for the new program. */
  uint64_t empty = 0;
  r = sys4(SYS_rt_sigprocmask, SIG_SETMASK, &empty, 0, KERNEL_SIGSET_BYTES);
  if (r < 0) fail(req, r, STEP_SIGMASK);

  /* 8. exec. Only returns on failure. */
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
   * handler runs in it before step 6 resets the dispositions. */
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
