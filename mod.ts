/**
 * coreshift: spawn and supervise child processes from Deno through FFI, on glibc Linux and
 * Android (bionic). `runSync` runs a program (through the native vfork helper where it loads,
 * else libc's `posix_spawn`), drains its pipes with epoll, and returns its output with an exact
 * status; every failure is a typed {@linkcode CoreError} naming the step and errno.
 *
 * @example
 * ```ts
 * import { runSync } from "@coreshift/core";
 * const out = runSync({ program: "echo", args: ["hello"] });
 * console.log(out.status, new TextDecoder().decode(out.stdout));
 * ```
 * @module
 */
export { runSync } from "./ffi/spawn/run_sync.ts";
export type {
  Backend,
  Bytes,
  CancelPolicy,
  FdPolicy,
  PgroupMode,
  Rlimit,
  RlimitName,
  SpawnOptions,
  StdioMode,
} from "./ffi/spawn/options.ts";
export { type Output, OutputOverflowError } from "./ffi/spawn/output.ts";
export {
  CoreError,
  type CoreErrorCode,
  type CoreErrorDetails,
  type ErrnoCode,
  errnoName,
  type NamedErrorCode,
} from "./ffi/errors.ts";
export {
  decodeWaitStatus,
  type Exited,
  type ExitStatus,
  shellExitCode,
  type Signaled,
  signalName,
} from "./ffi/exit_status.ts";
export type { ResourceUsage } from "./ffi/process_control.ts";
export { hostPlatform, type Platform } from "./ffi/platform.ts";
export { type NativeHelper, prepareNativeHelper } from "./ffi/native/loader.ts";
export type { ArchName, LibcName } from "./ffi/abi/mod.ts";
