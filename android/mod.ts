/**
 * Android facts coreshift relies on. For now: seccomp-safe syscall gating, so that no code path
 * makes a syscall the device's app seccomp filter would answer with SIGSYS.
 *
 * @example
 * ```ts
 * import { syscallAllowed } from "@coreshift/core/android";
 * import { hostPlatform } from "@coreshift/core";
 * console.log(syscallAllowed("close_range", hostPlatform()));
 * ```
 * @module
 */
export { type GatedSyscall, SYSCALL_GATES, syscallAllowed } from "./syscall_gate.ts";
