/*
 * The child of the cancel benches: says "ready" on stdout, then sleeps until a signal ends it,
 * so an early-exit callback has something to fire on and a timeout has something to kill.
 */
#include "raw_syscalls.h"

int child_main(long argc, char **argv) {
  (void)argc;
  (void)argv;
  if (raw_syscall3(SYS_WRITE, 1, (long)"ready\n", 6) != 6) return 1;
  static const long a_long_time[2] = {1L << 30, 0}; /* seconds, nanoseconds */
  for (;;) raw_syscall3(SYS_NANOSLEEP, (long)a_long_time, 0, 0);
}
