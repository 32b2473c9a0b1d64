/*
 * The writer of the capture benches: writes BYTES zero bytes to stdout (default 1 MiB), then
 * exits 0 (1 if a write fails, e.g. the reader went away).
 *
 *   writer [BYTES]
 */
#include "raw_syscalls.h"

static char block[64 * 1024];

static unsigned long long decimal(const char *s) {
  unsigned long long n = 0;
  while (*s >= '0' && *s <= '9') n = n * 10 + (unsigned long long)(*s++ - '0');
  return n;
}

int child_main(long argc, char **argv) {
  unsigned long long left = argc > 1 ? decimal(argv[1]) : 1024 * 1024;
  while (left > 0) {
    unsigned long long chunk = left < sizeof block ? left : sizeof block;
    long n = raw_syscall3(SYS_WRITE, 1, (long)block, (long)chunk);
    if (n <= 0) return 1;
    left -= (unsigned long long)n;
  }
  return 0;
}
