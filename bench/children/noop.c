/* The no-op child of the spawn benches: exits 0 at once, so a sample is the spawn and the reap. */
#include "raw_syscalls.h"

int child_main(long argc, char **argv) {
  (void)argc;
  (void)argv;
  return 0;
}
