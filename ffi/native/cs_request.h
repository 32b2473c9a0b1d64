/*
 * The request coreshift_spawn takes (ffi/native/child_setup.c), and what it reports: the helper's
 * ABI, shared by the helper and by any C program that calls it (tests/fixtures/bionic_driver.c).
 * Its layout is mirrored in ffi/abi/helper_request.ts; CS_ABI_VERSION guards it.
 */
#ifndef CORESHIFT_CS_REQUEST_H
#define CORESHIFT_CS_REQUEST_H

#include <stdint.h>

#define CS_ABI_VERSION 7

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
  int32_t stdio[3];              /*  64: fd to dup onto 0, 1, 2; -1 leaves it as it is */
  int32_t keep_count;            /*  76 */
  int32_t rlimit_count;          /*  80 */
  int32_t pgroup;                /*  84: enum cs_pgroup */
  int32_t use_vfork;             /*  88 */
  int32_t close_above2;          /*  92: enum cs_close_above2: how fds >= 3 not kept go */
  int32_t error_fd;              /*  96: CLOEXEC pipe for {errno, step}, or -1: report below */
  int32_t err_errno;             /* 100: out, when error_fd is -1 (vfork sharing our memory) */
  int32_t err_step;              /* 104: out, likewise: an enum cs_step */
  int32_t death_signal;          /* 108: PR_SET_PDEATHSIG signal, 0 = none */
  int32_t parent_pid;            /* 112: with death_signal: exit if no longer our parent */
  int32_t extra_count;           /* 116: pairs in extra_fds */
  const int32_t *extra_fds;      /* 120: {source, target} pairs: dup3 source onto target */
  int32_t pgid;                  /* 128: the group to join with CS_PGROUP_JOIN */
  int32_t no_new_privs;          /* 132: set PR_SET_NO_NEW_PRIVS */
  int32_t landlock_fd;           /* 136: a Landlock ruleset (> 2) to restrict ourselves with */
  int32_t seccomp_count;         /* 140: instructions in seccomp_filter, 0 = none */
  const void *seccomp_filter;    /* 144: struct sock_filter[], installed just before execve */
  int32_t controlling_tty;       /* 152: make fd 0 (a pty slave) the session's terminal */
  int32_t set_ids;               /* 156: enum cs_set_ids bits: which ids the child takes */
  uint32_t uid;                  /* 160: with CS_SET_UID */
  uint32_t gid;                  /* 164: with CS_SET_GID */
};                               /* 168 bytes */

/* The child's process group (the request's pgroup). */
enum cs_pgroup {
  CS_PGROUP_NONE = 0,    /* stay in the parent's group */
  CS_PGROUP_LEADER = 1,  /* setpgid(0, 0): lead a new group */
  CS_PGROUP_SESSION = 2, /* setsid: lead a new session (and group) */
  CS_PGROUP_JOIN = 3,    /* setpgid(0, pgid): join an existing group */
};

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
