/*
 * The child for cancel benches: says "ready" on stdout, then waits for a signal forever, so
 * an early-exit callback has something to fire on and a timeout has something to kill.
 */
#include <unistd.h>

int main(void) {
  if (write(1, "ready\n", 6) != 6) return 1;
  for (;;) pause();
}
