/**
 * Android facts coreshift relies on: seccomp-safe syscall gating, so that no code path makes a
 * syscall the device's app seccomp filter would answer with SIGSYS, and `doctor()`, one report
 * of what works on this device with a fix for each problem.
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
export type { PosixSpawnCaps } from "../ffi/spawn/capabilities.ts";
export { type AbiCheck, probeAbi } from "./abi_probe.ts";
export {
  buildDoctorReport,
  doctor,
  type DoctorInputs,
  type DoctorReport,
  type DoctorWarning,
} from "./doctor.ts";
