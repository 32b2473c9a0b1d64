/**
 * Android facts coreshift relies on, and the tools built on them:
 * - `platform()`: OS, libc, API level, kernel, Termux, seccomp, device, root, all at once;
 * - seccomp-safe syscall gating, so no code path makes a syscall the device's app seccomp
 *   filter would answer with SIGSYS;
 * - Termux: its directories, program lookup that knows `/system/bin`, `#!` rewriting;
 * - root through `su` (Magisk, KernelSU, AOSP) with exact quoting, the real exit status and
 *   timeouts that kill the root command's whole group;
 * - `doctor()`, one report of what works on this device with a fix for each problem.
 *
 * @example
 * ```ts
 * import { platform, syscallAllowed } from "@coreshift/core/android";
 * const p = platform();
 * console.log(p.os, p.androidApi, syscallAllowed("close_range", p));
 * ```
 * @module
 */
export { type GatedSyscall, syscallAllowed } from "../ffi/platform/syscall_gate.ts";
export { doctor, type DoctorReport } from "./doctor.ts";
export { platform, type PlatformFacts } from "./platform.ts";
export { type TermuxDirs, termuxDirs } from "../ffi/platform/termux.ts";
export type { SuInfo } from "./su.ts";
export { detectSu, type RootOutput, type RootRunOptions, runAsRoot } from "./root.ts";
export { type PhantomKiller, phantomKiller } from "./phantom.ts";
