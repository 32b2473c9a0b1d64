/**
 * The child-setup steps of child_setup.c (`enum cs_step` in cs_request.h), by the number the
 * child reports, with what to tell the user when one fails. The ABI test checks every number
 * against the header.
 * @module
 */

/** `enum cs_step`: each step's name in the C source and the number the child reports. */
export const STEP = {
  STEP_DUP_STDIN: 1,
  STEP_DUP_STDOUT: 2,
  STEP_DUP_STDERR: 3,
  STEP_CLOSE_FDS: 4,
  STEP_KEEP_FDS: 5,
  STEP_SETSID: 6,
  STEP_SETPGID: 7,
  STEP_CHDIR: 8,
  STEP_SETRLIMIT: 9,
  STEP_SIGACTION: 10,
  STEP_SIGMASK: 11,
  STEP_EXECVE: 12,
  STEP_EXTRA_FDS: 13,
  STEP_DEATH_SIGNAL: 14,
  STEP_NO_NEW_PRIVS: 15,
  STEP_LANDLOCK: 16,
  STEP_SECCOMP: 17,
  STEP_CONTROLLING_TTY: 18,
  STEP_SETGROUPS: 19,
  STEP_SETGID: 20,
  STEP_SETUID: 21,
} as const;

/** Step number → the `op` of the resulting CoreError. */
export const CHILD_STEPS: Readonly<Record<number, string>> = {
  [STEP.STEP_DUP_STDIN]: "child dup2 stdin",
  [STEP.STEP_DUP_STDOUT]: "child dup2 stdout",
  [STEP.STEP_DUP_STDERR]: "child dup2 stderr",
  [STEP.STEP_CLOSE_FDS]: "child close fds",
  [STEP.STEP_KEEP_FDS]: "child keep fds",
  [STEP.STEP_SETSID]: "child setsid",
  [STEP.STEP_SETPGID]: "child setpgid",
  [STEP.STEP_CHDIR]: "child chdir",
  [STEP.STEP_SETRLIMIT]: "child setrlimit",
  [STEP.STEP_SIGACTION]: "child sigaction",
  [STEP.STEP_SIGMASK]: "child sigprocmask",
  [STEP.STEP_EXECVE]: "child execve",
  [STEP.STEP_EXTRA_FDS]: "child map fds",
  [STEP.STEP_DEATH_SIGNAL]: "child set death signal",
  [STEP.STEP_NO_NEW_PRIVS]: "child set no_new_privs",
  [STEP.STEP_LANDLOCK]: "child landlock_restrict_self",
  [STEP.STEP_SECCOMP]: "child install seccomp filter",
  [STEP.STEP_CONTROLLING_TTY]: "child set controlling terminal",
  [STEP.STEP_SETGROUPS]: "child setgroups",
  [STEP.STEP_SETGID]: "child setresgid",
  [STEP.STEP_SETUID]: "child setresuid",
};

/** A hint for the common failures, keyed `step:ERRNO`. */
export const CHILD_STEP_HINTS: Readonly<Record<string, string>> = {
  [`${STEP.STEP_CHDIR}:ENOENT`]: "the cwd does not exist",
  [`${STEP.STEP_CHDIR}:ENOTDIR`]: "the cwd is not a directory",
  [`${STEP.STEP_CHDIR}:EACCES`]: "the cwd is not searchable by this user",
  [`${STEP.STEP_SETRLIMIT}:EPERM`]: "the limit is above the hard limit (or fs.nr_open for nofile)",
  [`${STEP.STEP_SETRLIMIT}:EINVAL`]: "the soft limit is above the hard limit",
  [`${STEP.STEP_EXECVE}:ENOENT`]: "the program (or its #! interpreter) does not exist",
  [`${STEP.STEP_EXECVE}:EACCES`]:
    "the program is not executable, is a directory, or is on a noexec mount",
  [`${STEP.STEP_EXECVE}:ENOEXEC`]: "the file is not a binary this kernel can run; add a #! line",
  [`${STEP.STEP_EXTRA_FDS}:EBADF`]: "an fd given in extraFds is not open",
  [`${STEP.STEP_SETGROUPS}:EPERM`]: "only root (CAP_SETGID) may drop supplementary groups",
  [`${STEP.STEP_SETGID}:EPERM`]: "only root (CAP_SETGID) may take another group id",
  [`${STEP.STEP_SETUID}:EPERM`]: "only root (CAP_SETUID) may take another user id",
  [`${STEP.STEP_DUP_STDIN}:EBADF`]: "the fd given for stdin is not open",
  [`${STEP.STEP_DUP_STDOUT}:EBADF`]: "the fd given for stdout is not open",
  [`${STEP.STEP_DUP_STDERR}:EBADF`]: "the fd given for stderr is not open",
};
