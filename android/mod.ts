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
export { type GatedSyscall, SYSCALL_GATES, syscallAllowed } from "../ffi/syscall_gate.ts";
export type { PosixSpawnCaps } from "../ffi/spawn/capabilities.ts";
export { type AbiCheck, probeAbi } from "./abi_probe.ts";
export {
  buildDoctorReport,
  doctor,
  type DoctorInputs,
  type DoctorReport,
  type DoctorWarning,
} from "./doctor.ts";
export {
  type AndroidDevice,
  platform,
  type PlatformFacts,
  platformFacts,
  type PlatformInputs,
} from "./platform.ts";
export {
  ANDROID_SYSTEM_BIN,
  tempDir,
  type TermuxDirs,
  termuxDirs,
  termuxSearchPath,
} from "../ffi/termux.ts";
export {
  type ExecTarget,
  parseShebang,
  type Shebang,
  termuxInterpreter,
  termuxScriptExec,
} from "../ffi/spawn/shebang.ts";
export { shellCommand, shellQuote } from "./shell_quote.ts";
export {
  classifySu,
  findSu,
  SU_PLACES,
  suArgv,
  type SuFlavour,
  type SuInfo,
  type SuRequest,
} from "./su.ts";
export {
  detectSu,
  type DetectSuOptions,
  type RootOutput,
  type RootRunOptions,
  runAsRoot,
} from "./root.ts";
export {
  parseRootReport,
  ROOT_CWD_FAILED,
  rootCommand,
  type RootReport,
  type RootScriptOptions,
} from "./root_script.ts";
export {
  DEFAULT_MAX_PHANTOM_PROCESSES,
  type PhantomKiller,
  phantomKiller,
  phantomKillerFrom,
  type ToolRunner,
} from "./phantom.ts";
export {
  getpropReader,
  parseGetprop,
  PROPERTY_SYMBOLS,
  type PropertyReader,
  propertyReader,
  type PropertySymbols,
  sharedGetpropReader,
} from "../ffi/properties.ts";
export { type HostFacts, platformFrom, SYSTEM_GETPROP } from "../ffi/platform.ts";
