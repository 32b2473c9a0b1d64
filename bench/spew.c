/* The 1 MiB writer for capture benches: static, so the child's own start-up stays small. */
#include <unistd.h>

static char block[64 * 1024];

int main(void) {
  size_t left = 1024 * 1024;
  while (left > 0) {
    ssize_t n = write(1, block, left < sizeof block ? left : sizeof block);
    if (n < 0) return 1;
    left -= (size_t)n;
  }
  return 0;
}
