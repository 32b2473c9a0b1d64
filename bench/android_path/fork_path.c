/*
 * Preloaded into a Deno to make its Deno.Command take the path it takes on Android. Rust's std
 * spawns through posix_spawn only on a glibc of 2.24 or later, which it learns from
 * gnu_get_libc_version; saying "2.23" sends it to fork + exec, the only path it has on Android.
 * fork itself is wrapped to count the calls, so the bench can check that the path was taken.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/types.h>

static unsigned long forks;

const char *gnu_get_libc_version(void) { return "2.23"; }

pid_t fork(void) {
  static pid_t (*real_fork)(void);
  if (!real_fork) real_fork = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
  __atomic_fetch_add(&forks, 1, __ATOMIC_RELAXED);
  return real_fork();
}

/* How many times this process called fork. */
unsigned long coreshift_forks(void) { return __atomic_load_n(&forks, __ATOMIC_RELAXED); }
