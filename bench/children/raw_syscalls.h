/*
 * What the bench children need from the kernel without a libc: the process entry point and
 * three system calls, one table per arch. Static and libc-free, so a child's own start-up is
 * one execve and nothing else, on glibc and on Android alike.
 */
#ifndef COREBENCH_RAW_SYSCALLS_H
#define COREBENCH_RAW_SYSCALLS_H

#if defined(__x86_64__)
enum { SYS_WRITE = 1, SYS_NANOSLEEP = 35, SYS_EXIT_GROUP = 231 };
#elif defined(__aarch64__)
enum { SYS_WRITE = 64, SYS_NANOSLEEP = 101, SYS_EXIT_GROUP = 94 };
#else
#error "raw_syscalls.h: add this architecture's table"
#endif

static inline long raw_syscall3(long n, long a, long b, long c) {
#if defined(__x86_64__)
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
#else
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
#endif
}

__attribute__((noreturn)) static inline void raw_exit(int code) {
  for (;;) raw_syscall3(SYS_EXIT_GROUP, code, 0, 0);
}

/* Each child defines child_main; _start hands it the kernel's argc and argv. */
int child_main(long argc, char **argv);

__attribute__((used, noreturn)) static void start_c(long *stack) {
  raw_exit(child_main(stack[0], (char **)(stack + 1)));
}

#if defined(__x86_64__)
__asm__(".globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall start_c\n");
#else
__asm__(".globl _start\n_start:\n\tmov x0, sp\n\tbl start_c\n");
#endif

#endif
