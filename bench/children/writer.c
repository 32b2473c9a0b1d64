/*
 * The writer for capture benches: writes BYTES zero bytes to stdout (default 1 MiB) and exits.
 * Static, so the child's own start-up stays small.
 *
 *   spew [BYTES]
 */
#include <stdlib.h>
#include <unistd.h>

static char block[64 * 1024];

int main(int argc, char **argv) {
  unsigned long long left = argc > 1 ? strtoull(argv[1], NULL, 10) : 1024 * 1024;
  while (left > 0) {
    ssize_t n = write(1, block, left < sizeof block ? (size_t)left : sizeof block);
    if (n < 0) return 1;
    left -= (unsigned long long)n;
  }
  return 0;
}
