/* The no-op child for spawn benches: no libc, no dynamic loader, one exit syscall. */
#if defined(__x86_64__)
__attribute__((naked, noreturn)) void _start(void) {
  __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
}
#elif defined(__aarch64__)
__attribute__((naked, noreturn)) void _start(void) {
  __asm__ volatile("mov x8, #93\n\tmov x0, #0\n\tsvc #0");
}
#else
#error "noop.c: add the exit syscall for this architecture"
#endif
