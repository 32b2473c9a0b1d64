/*
 * The request coreshift_spawn takes (ffi/native/child_setup.c), and what it reports: the helper's
 * ABI, shared by the helper and by any C program that calls it (tests/fixtures/bionic_driver.c).
 * Its layout is mirrored in ffi/abi/helper_request.ts; CS_ABI_VERSION guards it.
 */
#ifndef CORESHIFT_CS_REQUEST_H
#define CORESHIFT_CS_REQUEST_H

#include <stdint.h>

#define CS_ABI_VERSION 6

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
  const int32_t *keep_fds;       /*  32: fds to keep open across exec (CLOEXEC cleared) */
  const struct cs_rlimit *rlimits; /* 40 */
  char *stack;                   /*  48: vfork child stack (lowest address), size below */
  uint64_t stack_size;           /*  56 */
  uint64_t reset_signals;        /*  64: bit n-1 = reset signal n to SIG_DFL if it is not */
  int32_t stdio[3];              /*  72: fd to dup onto 0, 1, 2; -1 leaves it as it is */
  int32_t keep_count;            /*  84 */
  int32_t rlimit_count;          /*  88 */
  int32_t pgroup;                /*  92: 0 none, 1 leader, 2 session (setsid), 3 join pgid */
  int32_t use_vfork;             /*  96 */
  int32_t close_above2;          /* 100: enum cs_close_above2: how fds >= 3 not kept go */
  int32_t error_fd;              /* 104: CLOEXEC pipe for {errno, step}, or -1: report below */
  int32_t err_errno;             /* 108: out, when error_fd is -1 (vfork sharing our memory) */
  int32_t err_step;              /* 112: out, likewise */
  int32_t death_signal;          /* 116: PR_SET_PDEATHSIG signal, 0 = none */
  int32_t parent_pid;            /* 120: with death_signal: exit if no longer our parent */
  int32_t extra_count;           /* 124: pairs in extra_fds */
  const int32_t *extra_fds;      /* 128: {source, target} pairs: dup3 source onto target */
  int32_t pgid;                  /* 136: the group to join when pgroup is 3 */
  int32_t no_new_privs;          /* 140: set PR_SET_NO_NEW_PRIVS */
  int32_t landlock_fd;           /* 144: a Landlock ruleset (> 2) to restrict ourselves with */
  int32_t seccomp_count;         /* 148: instructions in seccomp_filter, 0 = none */
  const void *seccomp_filter;    /* 152: struct sock_filter[], installed just before execve */
  int32_t controlling_tty;       /* 160: make fd 0 (a pty slave) the session's terminal */
  int32_t set_ids;               /* 164: enum cs_set_ids bits: which ids the child takes */
  uint32_t uid;                  /* 168: with CS_SET_UID */
  uint32_t gid;                  /* 172: with CS_SET_GID */
};                               /* 176 bytes */

/* Which identities the child takes before exec (the request's set_ids bits). */
enum cs_set_ids {
  CS_DROP_GROUPS = 1, /* setgroups(0): a root parent's supplementary groups are not passed on */
  CS_SET_GID = 2,     /* setresgid(gid, gid, gid) */
  CS_SET_UID = 4,     /* setresuid(uid, uid, uid), last: after it, nothing else may change */
};

/* What the child closes above fd 2 (CLOSE_ABOVE2 in ffi/abi/helper_request.ts). */
enum cs_close_above2 {
  CLOSE_NONE = 0,     /* nothing: every fd the child must not get is close-on-exec */
  CLOSE_BY_RANGE = 1, /* close_range over every gap between kept fds (Linux 5.9+) */
  CLOSE_BY_SCAN = 2,  /* find the open fds (ppoll, or a /proc/self/fd walk), close each */
};

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
  STEP_EXTRA_FDS = 13,
  STEP_DEATH_SIGNAL = 14,
  STEP_NO_NEW_PRIVS = 15,
  STEP_LANDLOCK = 16,
  STEP_SECCOMP = 17,
  STEP_CONTROLLING_TTY = 18,
  STEP_SETGROUPS = 19,
  STEP_SETGID = 20,
  STEP_SETUID = 21,
};

long coreshift_spawn(struct cs_request *req);
int coreshift_abi_version(void);

#endif
