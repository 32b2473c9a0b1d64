/**
 * The child-setup steps of child_setup.c, by the number the child reports, with what to tell
 * the user when one fails.
 * @module
 */

/** Step number → the `op` of the resulting CoreError. */
export const CHILD_STEPS: Readonly<Record<number, string>> = {
  1: "child dup2 stdin",
  2: "child dup2 stdout",
  3: "child dup2 stderr",
  4: "child close fds",
  5: "child keep fds",
  6: "child setsid",
  7: "child setpgid",
  8: "child chdir",
  9: "child setrlimit",
  10: "child sigaction",
  11: "child sigprocmask",
  12: "child execve",
  13: "child map fds",
  14: "child set death signal",
  15: "child set no_new_privs",
  16: "child landlock_restrict_self",
  17: "child install seccomp filter",
  18: "child set controlling terminal",
  19: "child setgroups",
  20: "child setresgid",
  21: "child setresuid",
};

/** A hint for the common failures, keyed `step:ERRNO`. */
export const CHILD_STEP_HINTS: Readonly<Record<string, string>> = {
  "8:ENOENT": "the cwd does not exist",
  "8:ENOTDIR": "the cwd is not a directory",
  "8:EACCES": "the cwd is not searchable by this user",
  "9:EPERM": "the limit is above the hard limit (or fs.nr_open for nofile)",
  "9:EINVAL": "the soft limit is above the hard limit",
  "12:ENOENT": "the program (or its #! interpreter) does not exist",
  "12:EACCES": "the program is not executable, is a directory, or is on a noexec mount",
  "12:ENOEXEC": "the file is not a binary this kernel can run; add a #! line",
  "13:EBADF": "an fd given in extraFds is not open",
  "19:EPERM": "only root (CAP_SETGID) may drop supplementary groups",
  "20:EPERM": "only root (CAP_SETGID) may take another group id",
  "21:EPERM": "only root (CAP_SETUID) may take another user id",
  "1:EBADF": "the fd given for stdin is not open",
  "2:EBADF": "the fd given for stdout is not open",
  "3:EBADF": "the fd given for stderr is not open",
};
