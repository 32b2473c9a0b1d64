/*
 * The C floor: what the kernel and libc allow for spawn + wait of one child, with nothing
 * else in the way. Prints one line per iteration: nanoseconds for spawn through reap.
 *
 *   floor posix_spawn|vfork|fork N PROGRAM
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static pid_t spawn_one(const char *mode, char *const argv[]) {
  pid_t pid = -1;
  if (!strcmp(mode, "posix_spawn")) {
    return posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0 ? pid : -1;
  }
  pid = !strcmp(mode, "vfork") ? vfork() : fork();
  if (pid == 0) {
    execve(argv[0], argv, environ);
    _exit(127);
  }
  return pid;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: floor posix_spawn|vfork|fork N PROGRAM\n");
    return 2;
  }
  int n = atoi(argv[2]);
  char *child_argv[] = {argv[3], NULL};
  for (int i = 0; i < n; i++) {
    long long start = now_ns();
    pid_t pid = spawn_one(argv[1], child_argv);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
      fprintf(stderr, "floor: spawn %d failed\n", i);
      return 1;
    }
    printf("%lld\n", now_ns() - start);
  }
  return 0;
}
